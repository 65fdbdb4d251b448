package io.portico.core.routing;

import java.util.Map;
import java.util.Set;

/** Placeholder until the router lands. */
public sealed interface RouteMatch<T> {
    record Found<T>(RouteSpec<T> route, Map<String, String> pathVariables, String matchedPrefix) implements RouteMatch<T> {}
    record MethodNotAllowed<T>(Set<String> allowed) implements RouteMatch<T> {}
    record NotFound<T>() implements RouteMatch<T> {}
}
