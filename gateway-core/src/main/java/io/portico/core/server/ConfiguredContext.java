package io.portico.core.server;

import io.portico.api.ConsumerDefinition;
import io.portico.api.HttpCalls;
import io.portico.api.Metrics;
import io.portico.api.PluginContext;
import io.portico.api.Sockets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A plugin's context for one configuration: what the plugin catalog lends, plus what only the
 * configuration being built knows: its consumers, side calls that can reach its upstreams, sockets
 * on the gateway's selectors, the gateway's meters, and a scheduler whose tasks end with the
 * configuration.
 */
record ConfiguredContext(PluginContext host, List<ConsumerDefinition> consumers, HttpCalls http, Sockets sockets,
                         Metrics metrics, ScheduledExecutorService scheduler) implements PluginContext {

    @Override
    public String pluginId() {
        return host.pluginId();
    }

    @Override
    public Path configFolder() {
        return host.configFolder();
    }

    @Override
    public Clock clock() {
        return host.clock();
    }

    @Override
    public System.Logger logger() {
        return host.logger();
    }
}
