package io.portico.core.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portico.api.Metrics;

/**
 * The gateway's meters, in one Micrometer registry scraped in Prometheus format. Meters are made
 * when a configuration loads ({@link #route}, {@link #forPlugin}) and kept by what uses them, so a
 * request only increments.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The meters of one route: requests by status class, and their duration. */
    public RouteMeters route(String routeId) {
        Counter[] byClass = new Counter[6];
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            byClass[statusClass] = Counter.builder("portico.requests")
                    .description("requests answered, by route and status class")
                    .tags("route", routeId, "status", statusClass + "xx").register(registry);
        }
        Timer duration = Timer.builder("portico.request.duration")
                .description("time from the request's arrival to the end of its answer")
                .tags("route", routeId).register(registry);
        return new RouteMeters(byClass, duration);
    }

    /** What a plugin's {@code PluginContext.metrics()} reports through. */
    public Metrics forPlugin(String pluginId) {
        return new PluginMetrics(registry, Tags.of("plugin", pluginId));
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
