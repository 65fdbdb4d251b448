package io.portico.core.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.portico.api.Metrics;
import java.util.concurrent.TimeUnit;

/** A plugin's meters: its own names under {@code portico.plugin.}, tagged with its id. */
record PluginMetrics(MeterRegistry registry, Tags pluginTags) implements Metrics {

    @Override
    public Counter counter(String name, String... tags) {
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter
                .builder(prefixed(name)).tags(pluginTags.and(tags)).register(registry);
        return new Counter() {
            @Override
            public void increment() {
                counter.increment();
            }

            @Override
            public void increment(long amount) {
                counter.increment(amount);
            }
        };
    }

    @Override
    public Timer timer(String name, String... tags) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer
                .builder(prefixed(name)).tags(pluginTags.and(tags)).register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String prefixed(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*")) {
            throw new IllegalArgumentException("metric name '" + name + "' must be dotted lower case, such as keys.refreshed");
        }
        return "portico.plugin." + name;
    }
}
