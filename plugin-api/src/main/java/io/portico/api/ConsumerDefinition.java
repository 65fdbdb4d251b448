package io.portico.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A consumer as the configuration's {@code consumers:} section declares it: an id, groups, and
 * credentials grouped by kind. The gateway does not interpret credentials: each authentication
 * plugin reads the kind it owns ({@code key-auth}, {@code basic-auth}) and builds its own index
 * when its filter is created. Secrets in credentials are stored hashed and must never be logged.
 *
 * @param id          unique among consumers
 * @param groups      the consumer's groups, for authorization
 * @param credentials credential kind to a list of credentials, each a map of fields
 */
public record ConsumerDefinition(String id, Set<String> groups, Map<String, List<Map<String, String>>> credentials) {

    /** Validates and copies. */
    public ConsumerDefinition {
        Objects.requireNonNull(id, "id");
        groups = Set.copyOf(groups);
        credentials = Map.copyOf(credentials);
    }

    /** The credentials of one kind; empty when the consumer has none of that kind. */
    public List<Map<String, String>> credentials(String kind) {
        return credentials.getOrDefault(kind, List.of());
    }

    /** The consumer an authentication filter puts on the exchange. */
    public Consumer toConsumer() {
        return new Consumer(id, groups, Map.of());
    }
}
