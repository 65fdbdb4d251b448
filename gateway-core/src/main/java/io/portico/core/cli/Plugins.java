package io.portico.core.cli;

import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.plugin.StaticFilterCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The plugins a command runs with, and what must be closed after. */
final class Plugins implements AutoCloseable {
    private final FilterCatalog catalog;
    private final ScheduledExecutorService scheduler;

    private Plugins(FilterCatalog catalog, ScheduledExecutorService scheduler) {
        this.catalog = catalog;
        this.scheduler = scheduler;
    }

    static Plugins load(Path home, LoadedConfig config) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
                Thread.ofPlatform().daemon().name("portico-scheduler").factory());
        return new Plugins(StaticFilterCatalog.empty(Clock.systemUTC(), scheduler), scheduler);
    }

    FilterCatalog catalog() {
        return catalog;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
