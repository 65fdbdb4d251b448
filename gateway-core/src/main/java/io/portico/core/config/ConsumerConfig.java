package io.portico.core.config;

import io.portico.api.InvalidConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consumer: who may call, and the credentials each authentication plugin reads.
 *
 * @param id          unique, letters, digits, '.', '_', '-' or '@'
 * @param groups      for authorization
 * @param credentials by kind: {@code key-auth: [{ key: "sha256:..." }]},
 *                    {@code basic-auth: [{ username: alice, password: "$2y$..." }]}
 */
public record ConsumerConfig(String id, Set<String> groups, Map<String, List<Map<String, String>>> credentials) {

    public ConsumerConfig {
        InvalidConfigException.require(id != null && id.matches("[A-Za-z0-9._@-]+"), "id",
                "must be set, with letters, digits, '.', '_', '-' or '@' only");
        groups = groups == null ? Set.of() : groups;
        credentials = credentials == null ? Map.of() : credentials;
    }
}
