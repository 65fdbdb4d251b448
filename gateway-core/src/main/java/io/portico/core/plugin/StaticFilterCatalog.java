package io.portico.core.plugin;

import io.portico.api.FilterFactory;
import io.portico.api.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** A fixed set of factories, given in code: for tests, and for embedding the gateway. */
public final class StaticFilterCatalog implements FilterCatalog {
    private final Map<String, FilterFactory<?>> factories;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Path configFolder;

    public StaticFilterCatalog(List<FilterFactory<?>> factories, Clock clock, ScheduledExecutorService scheduler,
                               Path configFolder) {
        Map<String, FilterFactory<?>> byName = new LinkedHashMap<>();
        for (FilterFactory<?> factory : factories) {
            if (byName.putIfAbsent(factory.name(), factory) != null) {
                throw new IllegalArgumentException("two filter factories are named '" + factory.name() + "'");
            }
        }
        this.factories = Collections.unmodifiableMap(byName);
        this.clock = clock;
        this.scheduler = scheduler;
        this.configFolder = configFolder;
    }

    /** No factories at all. */
    public static StaticFilterCatalog empty(Clock clock, ScheduledExecutorService scheduler) {
        return new StaticFilterCatalog(List.of(), clock, scheduler, Path.of("."));
    }

    @Override
    public FilterFactory<?> find(String name) {
        return factories.get(name);
    }

    @Override
    public Set<String> names() {
        return factories.keySet();
    }

    @Override
    public PluginContext contextFor(FilterFactory<?> factory) {
        return new HostPluginContext("builtin:" + factory.name(), configFolder, clock,
                System.getLogger("portico.plugin." + factory.name()), scheduler);
    }
}
