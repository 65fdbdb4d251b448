package io.portico.core.plugin;

import io.portico.api.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What the host lends one plugin. */
record HostPluginContext(String pluginId, Path configFolder, Clock clock, System.Logger logger,
                         ScheduledExecutorService scheduler) implements PluginContext {
}
