package io.portico.api;

import java.util.Map;
import java.util.Objects;

/**
 * The route a request matched.
 *
 * @param id            the route's id from the configuration
 * @param upstream      the name of the upstream pool the route sends to: its {@code upstream:}, or
 *                      {@code route:ID} for a route that names a {@code url:} of its own (since API 1.1)
 * @param pathVariables values captured by the route's path template ({@code /users/{id}} gives
 *                      {@code id}), already percent-decoded; empty when the template has none
 */
public record MatchedRoute(String id, String upstream, Map<String, String> pathVariables) {

    /** Validates and copies the variables. */
    public MatchedRoute {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstream, "upstream");
        pathVariables = Map.copyOf(pathVariables);
    }

    /**
     * A route that sends to a {@code url:} of its own, whose upstream is therefore {@code route:ID}:
     * the API 1.0 constructor, kept so that plugins and tests built against it still run.
     */
    public MatchedRoute(String id, Map<String, String> pathVariables) {
        this(id, "route:" + id, pathVariables);
    }

    /** The value of one path variable, or {@code null} when the template has no such variable. */
    public String pathVariable(String name) {
        return pathVariables.get(name);
    }
}
