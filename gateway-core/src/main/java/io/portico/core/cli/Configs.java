package io.portico.core.cli;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.server.Snapshot;
import io.portico.core.server.SnapshotBuilder;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.client.HttpClient;

/** Loading and checking a configuration for the commands that do not serve. */
final class Configs {
    private Configs() {
    }

    static LoadedConfig load(Path file) throws ConfigException {
        return new ConfigLoader(System::getenv).load(file);
    }

    /** Builds a snapshot without starting anything, so every cross-section check runs. */
    static Snapshot check(LoadedConfig loaded, FilterCatalog catalog) throws ConfigException {
        return new SnapshotBuilder(new HttpClient(), catalog, Clock.systemUTC()).build(loaded, 0);
    }
}
