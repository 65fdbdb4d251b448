package io.portico.core.routing;

import java.util.List;
import java.util.Set;

/** Placeholder until the router lands. */
public record RouteSpec<T>(String id, List<String> hosts, List<String> paths, Set<String> methods,
                           List<HeaderCondition> headers, List<QueryCondition> query, T target) {
}
