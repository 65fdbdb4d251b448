package io.portico.core.server;

import io.portico.core.config.LoadedConfig;
import io.portico.core.routing.Router;
import io.portico.core.upstream.Upstream;
import java.util.List;
import java.util.Map;

/**
 * One complete, validated configuration, ready to serve: the router with every route's pipeline,
 * and the upstream pools. Immutable once built; a reload builds a new one and swaps it in, and a
 * request keeps the snapshot it started with.
 *
 * @param config        what it was built from
 * @param router        routes by host, path, method and conditions
 * @param upstreams     pools by name, including the implicit ones of routes with {@code url:}
 * @param trusted       whose forwarding headers are believed
 * @param generation    counts reloads, for logs
 * @param inFlight      the requests running on it; {@code inFlight().drained()} completes once it
 *                      is retired and they all finished
 * @param catalog       the plugins its filters came from; retained while it may serve
 * @param scheduler     what its plugins scheduled: retired with it
 */
public record Snapshot(LoadedConfig config, Router<RouteRuntime> router, Map<String, Upstream> upstreams,
                       io.portico.core.proxy.TrustedProxies trusted, long generation, InFlight inFlight,
                       io.portico.core.plugin.FilterCatalog catalog, RetiringScheduler scheduler) {

    /** The routes in file order. */
    public List<String> routeIds() {
        return config.config().routes().stream().map(io.portico.core.config.RouteConfig::id).toList();
    }
}
