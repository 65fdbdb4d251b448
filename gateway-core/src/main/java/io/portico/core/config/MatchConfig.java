package io.portico.core.config;

import io.portico.api.InvalidConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What requests a route takes. Every condition given must hold.
 *
 * @param hosts   exact ({@code api.example.com}) or wildcard ({@code *.example.com}); empty: any
 * @param paths   exact ({@code /health}), prefix ({@code /api/**}) or template ({@code /users/{id}});
 *                empty: any
 * @param methods upper case; empty: any
 * @param headers header name to condition
 * @param query   query parameter name to condition
 */
public record MatchConfig(List<String> hosts, List<String> paths, Set<String> methods,
                          Map<String, ConditionConfig> headers, Map<String, ConditionConfig> query) {

    public MatchConfig {
        hosts = hosts == null ? List.of() : hosts;
        paths = paths == null ? List.of() : paths;
        methods = methods == null ? Set.of() : methods;
        for (String method : methods) {
            InvalidConfigException.require(method.matches("[A-Z]+"), "methods", "'" + method + "' is not an upper-case method name");
        }
        headers = headers == null ? Map.of() : headers;
        query = query == null ? Map.of() : query;
    }

    static MatchConfig any() {
        return new MatchConfig(null, null, null, null, null);
    }
}
