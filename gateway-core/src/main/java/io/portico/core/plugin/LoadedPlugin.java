package io.portico.core.plugin;

import io.portico.api.FilterFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.PluginManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin jar loaded from a private copy, with its own PF4J manager and class loader. Counted
 * references keep it loaded: one for as long as its file is in the plugins folder, one for each
 * snapshot that may still run its filters. The last release unloads it and deletes the copy, so a
 * replaced jar's classes go only once the requests using them have finished.
 */
final class LoadedPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedPlugin.class);

    private final String id;
    private final String version;
    private final Path source;
    private final Path copy;
    private final PluginManager manager;
    private final List<FilterFactory<?>> factories;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedPlugin(String id, String version, Path source, Path copy, PluginManager manager,
                 List<FilterFactory<?>> factories) {
        this.id = id;
        this.version = version;
        this.source = source;
        this.copy = copy;
        this.manager = manager;
        this.factories = List.copyOf(factories);
    }

    String id() {
        return id;
    }

    String version() {
        return version;
    }

    Path source() {
        return source;
    }

    List<FilterFactory<?>> factories() {
        return factories;
    }

    void retain() {
        references.incrementAndGet();
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            unload();
        }
    }

    boolean unloaded() {
        return references.get() <= 0;
    }

    private void unload() {
        try {
            // unloadPlugin stops it first and closes its class loader (stopPlugins() trips over its own list)
            manager.unloadPlugin(id);
        } catch (RuntimeException e) {
            LOG.warn("unloading plugin {} {} failed", id, version, e);
        }
        PluginFolder.deleteQuietly(copy);
        LOG.info("plugin {} {} unloaded", id, version);
    }

    @Override
    public String toString() {
        return id + " " + version + " (" + source.getFileName() + ")";
    }
}
