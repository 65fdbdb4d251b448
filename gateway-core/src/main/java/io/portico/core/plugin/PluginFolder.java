package io.portico.core.plugin;

import io.portico.api.FilterFactory;
import io.portico.api.PluginApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins folder: every {@code .jar} or {@code .zip} in it loaded as a PF4J plugin, each from
 * a private copy in a work folder, so the user may replace or delete the file while the gateway
 * runs. {@link #scan} notices added, replaced and removed files; a plugin that fails to load is
 * logged and left out, and the others load.
 */
public final class PluginFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFolder.class);

    private final Path folder;
    private final Path work;
    private final List<FilterFactory<?>> builtins;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Path configFolder;
    private final String apiVersion;
    private final Map<Path, Entry> entries = new LinkedHashMap<>();
    private long copies;
    private volatile PluginSet current;

    private record Fingerprint(long size, FileTime modified) {
    }

    /** What one file gave: a plugin, or the reason it did not load. */
    private record Entry(Fingerprint fingerprint, LoadedPlugin plugin, String pluginId, String failure) {
    }

    /**
     * @param folder       where users drop plugin jars; need not exist yet
     * @param work         where private copies go; emptied first
     * @param builtins     factories that are part of the core, always present
     * @param configFolder what plugins get as {@code PluginContext.configFolder()}
     */
    public PluginFolder(Path folder, Path work, List<FilterFactory<?>> builtins, Clock clock,
                        ScheduledExecutorService scheduler, Path configFolder) {
        this.folder = folder;
        this.work = work;
        this.builtins = List.copyOf(builtins);
        this.clock = clock;
        this.scheduler = scheduler;
        this.configFolder = configFolder;
        this.apiVersion = PluginApi.version();
        deleteQuietly(work);
        this.current = new PluginSet(this.builtins, List.of(), Map.of(), clock, scheduler, configFolder);
    }

    /** The plugins as of the last scan. */
    public FilterCatalog current() {
        return current;
    }

    /** Every file of the last scan: loaded plugins with their filters, and failures with their reason. */
    public synchronized List<PluginStatus> statuses() {
        List<PluginStatus> statuses = new ArrayList<>();
        entries.forEach((file, entry) -> {
            LoadedPlugin plugin = entry.plugin();
            String failure = entry.failure() != null ? entry.failure() : current.whyMissing(entry.pluginId());
            statuses.add(new PluginStatus(file.getFileName().toString(), entry.pluginId(),
                    plugin == null ? null : plugin.version(),
                    plugin == null ? List.of() : plugin.factories().stream()
                            .map(factory -> factory.name() + " (" + factory.phase().name().toLowerCase(java.util.Locale.ROOT) + ")")
                            .toList(),
                    failure));
        });
        return statuses;
    }

    /**
     * Loads what was added or replaced since the last scan and lets go of what was removed.
     *
     * @return whether anything changed
     */
    public synchronized boolean scan() {
        Map<Path, Fingerprint> seen = list();
        boolean changed = false;
        List<Entry> released = new ArrayList<>();
        for (var iterator = entries.entrySet().iterator(); iterator.hasNext(); ) {
            var entry = iterator.next();
            Fingerprint now = seen.get(entry.getKey());
            if (now == null || !now.equals(entry.getValue().fingerprint())) {
                released.add(entry.getValue());
                iterator.remove();
                changed = true;
            }
        }
        for (var file : seen.entrySet()) {
            if (!entries.containsKey(file.getKey())) {
                entries.put(file.getKey(), load(file.getKey(), file.getValue()));
                changed = true;
            }
        }
        if (changed) {
            publish();
            for (Entry entry : released) {
                if (entry.plugin() != null) {
                    LOG.info("plugin {} {} left the plugins folder; it unloads once no request uses it",
                            entry.plugin().id(), entry.plugin().version());
                    entry.plugin().release();
                }
            }
        }
        return changed;
    }

    /**
     * Scans every {@code interval} and hands each changed catalog to {@code onChange}, on the
     * scheduler's thread.
     */
    public ScheduledFuture<?> watch(Duration interval, Consumer<FilterCatalog> onChange) {
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (scan()) {
                    onChange.accept(current);
                }
            } catch (RuntimeException e) {
                LOG.error("scanning the plugins folder {} failed", folder, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Unloads every plugin still held only by the folder, and deletes the work folder. */
    @Override
    public synchronized void close() {
        for (Entry entry : entries.values()) {
            if (entry.plugin() != null) {
                entry.plugin().release();
            }
        }
        entries.clear();
        deleteQuietly(work);
    }

    private void publish() {
        List<LoadedPlugin> plugins = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, LoadedPlugin> byName = new LinkedHashMap<>();
        builtins.forEach(factory -> byName.put(factory.name(), null));
        for (Entry entry : entries.values()) {
            if (entry.failure() != null) {
                failures.put(entry.pluginId(), entry.failure());
                continue;
            }
            LoadedPlugin plugin = entry.plugin();
            String clash = null;
            for (FilterFactory<?> factory : plugin.factories()) {
                if (byName.containsKey(factory.name())) {
                    LoadedPlugin other = byName.get(factory.name());
                    clash = "its filter '" + factory.name() + "' is already provided by "
                            + (other == null ? "the core" : "plugin " + other);
                }
            }
            if (clash != null) {
                LOG.error("plugin {} not used: {}", plugin, clash);
                failures.put(plugin.id(), clash);
                continue;
            }
            plugin.factories().forEach(factory -> byName.put(factory.name(), plugin));
            plugins.add(plugin);
        }
        current = new PluginSet(builtins, plugins, failures, clock, scheduler, configFolder);
    }

    private Map<Path, Fingerprint> list() {
        Map<Path, Fingerprint> files = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.{jar,zip}")) {
            List<Path> sorted = new ArrayList<>();
            stream.forEach(sorted::add);
            sorted.sort(null);
            for (Path file : sorted) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        files.put(file, new Fingerprint(attributes.size(), attributes.lastModifiedTime()));
                    }
                } catch (IOException e) {
                    // removed between listing and reading: the next scan sees it gone
                }
            }
        } catch (IOException e) {
            LOG.error("cannot list the plugins folder {}", folder, e);
        }
        return files;
    }

    private Entry load(Path file, Fingerprint fingerprint) {
        String name = file.getFileName().toString();
        String pluginId = name.replaceFirst("(-\\d[^/]*)?\\.(jar|zip)$", "");
        Path copyFolder = work.resolve(pluginId + "-" + (++copies));
        try {
            Manifest manifest = manifest(file);
            if (manifest != null && manifest.getMainAttributes().getValue("Plugin-Id") != null) {
                pluginId = manifest.getMainAttributes().getValue("Plugin-Id");
            }
            String wanted = manifest == null ? null : manifest.getMainAttributes().getValue(PluginApi.MANIFEST_ATTRIBUTE);
            if (wanted == null) {
                return failed(file, fingerprint, pluginId, "its manifest does not say which plugin API it was built for ("
                        + PluginApi.MANIFEST_ATTRIBUTE + "); this Portico provides plugin API " + apiVersion);
            }
            if (!PluginApi.compatible(wanted, apiVersion)) {
                return failed(file, fingerprint, pluginId, "it was built for plugin API " + wanted
                        + ", and this Portico provides plugin API " + apiVersion + "; rebuild it against " + apiVersion);
            }
            Files.createDirectories(copyFolder);
            Path copy = Files.copy(file, copyFolder.resolve(name));
            PluginManager manager = new DefaultPluginManager(copyFolder);
            String loadedId = manager.loadPlugin(copy);
            manager.startPlugin(loadedId);
            PluginWrapper wrapper = manager.getPlugin(loadedId);
            List<FilterFactory<?>> factories = new ArrayList<>();
            for (FilterFactory<?> factory : manager.getExtensions(FilterFactory.class, loadedId)) {
                factories.add(factory);
            }
            if (factories.isEmpty()) {
                manager.unloadPlugins();
                deleteQuietly(copyFolder);
                return failed(file, fingerprint, loadedId, "it has no FilterFactory extension (is the class annotated"
                        + " with @Extension, and was it compiled with annotation processing on?)");
            }
            LoadedPlugin plugin = new LoadedPlugin(loadedId, wrapper.getDescriptor().getVersion(), file, copyFolder,
                    manager, factories);
            LOG.info("plugin {} loaded: filters {}", plugin,
                    factories.stream().map(FilterFactory::name).toList());
            return new Entry(fingerprint, plugin, loadedId, null);
        } catch (IOException | RuntimeException | LinkageError e) {
            deleteQuietly(copyFolder);
            return failed(file, fingerprint, pluginId, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
        }
    }

    private static Entry failed(Path file, Fingerprint fingerprint, String pluginId, String reason) {
        String message = "plugin '" + pluginId + "' (" + file.getFileName() + ") failed to load: " + reason;
        LOG.error(message);
        return new Entry(fingerprint, null, pluginId, message);
    }

    private static Manifest manifest(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(file.toFile())) {
                return jar.getManifest();
            }
        }
        // a zip plugin holds plugin.properties, or a classes/ folder with a manifest
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry properties = zip.getEntry("plugin.properties");
            if (properties != null) {
                java.util.Properties values = new java.util.Properties();
                try (InputStream in = zip.getInputStream(properties)) {
                    values.load(in);
                }
                Manifest manifest = new Manifest();
                for (String[] names : new String[][] {{"plugin.id", "Plugin-Id"},
                        {"portico.api.version", PluginApi.MANIFEST_ATTRIBUTE}}) {
                    if (values.getProperty(names[0]) != null) {
                        manifest.getMainAttributes().putValue(names[1], values.getProperty(names[0]));
                    }
                }
                return manifest;
            }
            ZipEntry entry = zip.getEntry("classes/META-INF/MANIFEST.MF");
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new Manifest(in);
            }
        }
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", path, e.getMessage());
        }
    }
}
