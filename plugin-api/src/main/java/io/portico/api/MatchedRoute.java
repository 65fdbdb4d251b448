package io.portico.api;

import java.util.Map;
import java.util.Objects;

/**
 * The route a request matched.
 *
 * @param id            the route's id from the configuration
 * @param pathVariables values captured by the route's path template ({@code /users/{id}} gives
 *                      {@code id}), already percent-decoded; empty when the template has none
 */
public record MatchedRoute(String id, Map<String, String> pathVariables) {

    /** Validates and copies the variables. */
    public MatchedRoute {
        Objects.requireNonNull(id, "id");
        pathVariables = Map.copyOf(pathVariables);
    }

    /** The value of one path variable, or {@code null} when the template has no such variable. */
    public String pathVariable(String name) {
        return pathVariables.get(name);
    }
}
