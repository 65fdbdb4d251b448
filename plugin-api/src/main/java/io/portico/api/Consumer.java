package io.portico.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as an authentication filter established it.
 *
 * <p>Authentication filters agree on three rules, so that a route can accept any of several
 * methods (an API key or a JWT) and let unauthenticated callers in as a named consumer:
 * <ol>
 *   <li>a filter that finds a consumer already on the exchange that is not {@link #anonymous()}
 *       passes the request on untouched;</li>
 *   <li>a filter that finds no credential of its kind answers 401, unless it is configured with an
 *       anonymous consumer, which it then puts on the exchange (when none is there yet) with
 *       {@code anonymous} set;</li>
 *   <li>a credential that is present but wrong is always answered with 401.</li>
 * </ol>
 * Authorization ({@code acl}) treats an anonymous consumer as nobody authenticated unless a rule
 * lets it in.
 *
 * @param id        the consumer's id, unique in the configuration (or a token's subject)
 * @param groups    the groups the consumer belongs to, used by authorization
 * @param claims    further facts about the consumer (token claims, {@value #SCOPE} for granted
 *                  scopes), never secrets
 * @param anonymous whether this is the stand-in for a caller who presented no credential
 */
public record Consumer(String id, Set<String> groups, Map<String, String> claims, boolean anonymous) {

    /** The claim holding granted scopes, separated by spaces (as OAuth2 writes them). */
    public static final String SCOPE = "scope";

    /** Validates and copies the collections. */
    public Consumer {
        Objects.requireNonNull(id, "id");
        groups = Set.copyOf(groups);
        claims = Map.copyOf(claims);
    }

    /** An authenticated (not anonymous) consumer. */
    public Consumer(String id, Set<String> groups, Map<String, String> claims) {
        this(id, groups, claims, false);
    }

    /** An authenticated consumer with an id and nothing else. */
    public static Consumer of(String id) {
        return new Consumer(id, Set.of(), Map.of());
    }

    /** The scopes in the {@value #SCOPE} claim; empty when there is none. */
    public Set<String> scopes() {
        String scope = claims.get(SCOPE);
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }

    /** A copy with these groups. */
    public Consumer withGroups(Set<String> newGroups) {
        return new Consumer(id, newGroups, claims, anonymous);
    }

    /** A copy with these claims. */
    public Consumer withClaims(Map<String, String> newClaims) {
        return new Consumer(id, groups, newClaims, anonymous);
    }

    /** A copy marked as the anonymous stand-in (or not). */
    public Consumer withAnonymous(boolean isAnonymous) {
        return new Consumer(id, groups, claims, isAnonymous);
    }
}
