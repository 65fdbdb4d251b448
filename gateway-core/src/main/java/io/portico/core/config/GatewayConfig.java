package io.portico.core.config;

import java.util.List;
import java.util.Map;

/**
 * The whole of {@code conf/portico.yaml}, bound and checked field by field. Checks that span
 * sections (a route naming an unknown upstream) happen when the snapshot is built.
 */
public record GatewayConfig(ServerConfig server, Map<String, UpstreamConfig> upstreams, List<PluginEntry> plugins,
                            List<RouteConfig> routes, List<ConsumerConfig> consumers) {

    public GatewayConfig {
        consumers = consumers == null ? List.of() : consumers;
        server = server == null ? ServerConfig.defaults() : server;
        upstreams = upstreams == null ? Map.of() : upstreams;
        plugins = plugins == null ? List.of() : plugins;
        routes = routes == null ? List.of() : routes;
    }

    /** A copy with another server section. */
    public GatewayConfig withServer(ServerConfig newServer) {
        return new GatewayConfig(newServer, upstreams, plugins, routes, consumers);
    }
}
