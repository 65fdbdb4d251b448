package io.portico.core.plugin;

import io.portico.api.FilterFactory;
import io.portico.api.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The plugins of the folder at one moment: an immutable catalog. A snapshot built from it retains
 * it, so the plugins it names stay loaded until that snapshot has drained.
 */
final class PluginSet implements FilterCatalog {
    private final Map<String, FilterFactory<?>> byName;
    private final Map<FilterFactory<?>, LoadedPlugin> owners;
    private final List<LoadedPlugin> plugins;
    private final Map<String, String> failures;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Path configFolder;

    PluginSet(List<FilterFactory<?>> builtins, List<LoadedPlugin> plugins, Map<String, String> failures, Clock clock,
              ScheduledExecutorService scheduler, Path configFolder) {
        Map<String, FilterFactory<?>> names = new LinkedHashMap<>();
        Map<FilterFactory<?>, LoadedPlugin> owned = new IdentityHashMap<>();
        builtins.forEach(factory -> names.put(factory.name(), factory));
        for (LoadedPlugin plugin : plugins) {
            for (FilterFactory<?> factory : plugin.factories()) {
                names.putIfAbsent(factory.name(), factory);
                owned.put(factory, plugin);
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.owners = owned;
        this.plugins = List.copyOf(plugins);
        this.failures = Map.copyOf(failures);
        this.clock = clock;
        this.scheduler = scheduler;
        this.configFolder = configFolder;
    }

    @Override
    public FilterFactory<?> find(String name) {
        return byName.get(name);
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public String whyMissing(String name) {
        return failures.get(name);
    }

    @Override
    public PluginContext contextFor(FilterFactory<?> factory) {
        LoadedPlugin owner = owners.get(factory);
        String pluginId = owner != null ? owner.id() : "builtin:" + factory.name();
        return new HostPluginContext(pluginId, configFolder, clock,
                System.getLogger("portico.plugin." + factory.name()), scheduler);
    }

    @Override
    public void retain() {
        plugins.forEach(LoadedPlugin::retain);
    }

    @Override
    public void release() {
        plugins.forEach(LoadedPlugin::release);
    }

    List<LoadedPlugin> plugins() {
        return plugins;
    }
}
