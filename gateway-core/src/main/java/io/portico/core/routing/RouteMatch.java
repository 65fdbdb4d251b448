package io.portico.core.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Router#match} found for a request: a route, a 405, or a 404.
 *
 * @param <T> the routes' payload type
 */
public sealed interface RouteMatch<T> {

    /**
     * A route matched.
     *
     * @param route         the route that won
     * @param pathVariables the values of its template's variables, as the path held them (already
     *                      decoded); unmodifiable, empty when the pattern has none
     * @param matchedPrefix for a pattern ending in {@code /**}, the part of the path before what
     *                      {@code **} matched ({@code /api} for {@code /api/**} and
     *                      {@code /api/orders/1}; {@code ""} for {@code /**}); otherwise the whole
     *                      path
     */
    record Found<T>(RouteSpec<T> route, Map<String, String> pathVariables, String matchedPrefix)
            implements RouteMatch<T> {
        /** Checks that nothing is null. */
        public Found {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(pathVariables, "pathVariables");
            Objects.requireNonNull(matchedPrefix, "matchedPrefix");
        }
    }

    /**
     * Some route matched host, path, headers and query, but none of those allowed the method: the
     * answer is 405 with {@code Allow}.
     *
     * @param allowed the methods those routes allow, in alphabetical order; unmodifiable
     */
    record MethodNotAllowed<T>(Set<String> allowed) implements RouteMatch<T> {
        /** Checks that nothing is null. */
        public MethodNotAllowed {
            Objects.requireNonNull(allowed, "allowed");
        }
    }

    /** No route matched: the answer is 404. The router hands out one shared instance. */
    record NotFound<T>() implements RouteMatch<T> {
    }
}
