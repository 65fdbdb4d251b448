package io.portico.core.routing;

import io.portico.api.Headers;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Placeholder until the router lands: prefix and exact paths only, linear. */
public final class Router<T> {
    private final List<RouteSpec<T>> routes;

    private Router(List<RouteSpec<T>> routes) {
        this.routes = routes;
    }

    public static <T> Router<T> compile(List<RouteSpec<T>> routes) {
        return new Router<>(List.copyOf(routes));
    }

    public int size() {
        return routes.size();
    }

    public RouteMatch<T> match(String host, String method, String path, Headers headers, String rawQuery) {
        TreeSet<String> allowed = new TreeSet<>();
        for (RouteSpec<T> route : routes) {
            for (String pattern : route.paths().isEmpty() ? List.of("/**") : route.paths()) {
                String prefix = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : null;
                boolean hit = prefix != null ? (path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty())
                        : path.equals(pattern);
                if (hit) {
                    if (route.methods().isEmpty() || route.methods().contains(method)) {
                        return new RouteMatch.Found<>(route, Map.of(), prefix != null ? prefix : path);
                    }
                    allowed.addAll(route.methods());
                }
            }
        }
        return allowed.isEmpty() ? new RouteMatch.NotFound<>() : new RouteMatch.MethodNotAllowed<>(allowed);
    }
}
