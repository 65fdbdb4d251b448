package io.portico.core.cli;

import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.plugin.PluginFolder;
import io.portico.core.plugin.PluginStatus;
import io.portico.core.server.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The plugins a command runs with, loaded from the configured plugins folder, and what must be closed after. */
final class Plugins implements AutoCloseable {
    private final PluginFolder folder;
    private final Path path;
    private final ScheduledExecutorService scheduler;

    private Plugins(PluginFolder folder, Path path, ScheduledExecutorService scheduler) {
        this.folder = folder;
        this.path = path;
        this.scheduler = scheduler;
    }

    static Plugins load(Path home, LoadedConfig config) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
                Thread.ofPlatform().daemon().name("portico-scheduler").factory());
        Path work;
        try {
            work = Files.createTempDirectory("portico-plugins-");
        } catch (IOException e) {
            scheduler.shutdownNow();
            throw new UncheckedIOException("cannot create a work folder for plugin copies", e);
        }
        Path path = home.resolve(config.config().server().pluginsFolder());
        PluginFolder folder = new PluginFolder(path, work, List.of(), Clock.systemUTC(), scheduler, home);
        folder.scan();
        return new Plugins(folder, path, scheduler);
    }

    FilterCatalog catalog() {
        return folder.current();
    }

    List<PluginStatus> statuses() {
        return folder.statuses();
    }

    Path folder() {
        return path;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Loads jars dropped into, replaced in or removed from the folder while the gateway runs. */
    void watch(Gateway gateway) {
        folder.watch(Duration.ofSeconds(1), gateway::pluginsChanged);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        folder.close();
    }
}
