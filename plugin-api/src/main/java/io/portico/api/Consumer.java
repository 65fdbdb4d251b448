package io.portico.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as an authentication filter established it.
 *
 * @param id     the consumer's id, unique in the configuration (or a token's subject)
 * @param groups the groups the consumer belongs to, used by authorization
 * @param claims further facts about the consumer (token claims, scopes), never secrets
 */
public record Consumer(String id, Set<String> groups, Map<String, String> claims) {

    /** Validates and copies the collections. */
    public Consumer {
        Objects.requireNonNull(id, "id");
        groups = Set.copyOf(groups);
        claims = Map.copyOf(claims);
    }

    /** A consumer with an id and nothing else. */
    public static Consumer of(String id) {
        return new Consumer(id, Set.of(), Map.of());
    }

    /** A copy with these groups. */
    public Consumer withGroups(Set<String> newGroups) {
        return new Consumer(id, newGroups, claims);
    }

    /** A copy with these claims. */
    public Consumer withClaims(Map<String, String> newClaims) {
        return new Consumer(id, groups, newClaims);
    }
}
