package io.portico.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the host lends a plugin. There are no static singletons: everything a plugin may use of the
 * gateway comes from here.
 */
public interface PluginContext {

    /** The plugin's id, from its manifest. */
    String pluginId();

    /** A folder the plugin may read its own files from (keys, templates). */
    Path configFolder();

    /** The time source; tests replace it to make expiry exact. */
    Clock clock();

    /** A logger named after the plugin. */
    System.Logger logger();

    /**
     * A scheduler for background work (refreshing keys, flushing counters). Tasks run on virtual
     * threads and are cancelled when the configuration that created the filter is retired.
     */
    ScheduledExecutorService scheduler();

    /**
     * The consumers of the configuration this filter is created for. A reload that changes them
     * creates the filters again, so a filter may index them once, in its factory's {@code create}.
     */
    default java.util.List<ConsumerDefinition> consumers() {
        return java.util.List.of();
    }

    /** Meters reported on the gateway's {@code /metrics}, named for this plugin. */
    default Metrics metrics() {
        return Metrics.none();
    }

    /**
     * Side calls to other HTTP services through the gateway's connection pools, including the
     * configuration's named upstreams ({@code upstream://NAME}).
     *
     * @throws UnsupportedOperationException where the context was made outside a gateway
     */
    default HttpCalls http() {
        throw new UnsupportedOperationException("side calls need a running gateway's context");
    }

    /**
     * TCP connections on the gateway's event loop, for protocols of the plugin's own.
     *
     * @throws UnsupportedOperationException where the context was made outside a gateway
     */
    default Sockets sockets() {
        throw new UnsupportedOperationException("sockets need a running gateway's context");
    }
}
