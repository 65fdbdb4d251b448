package io.portico.testkit;

import io.portico.api.FilterFactory;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.plugin.PluginFolder;
import io.portico.core.plugin.StaticFilterCatalog;
import io.portico.core.server.ConfigWatcher;
import io.portico.core.server.Gateway;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Portico gateway on a free port of 127.0.0.1, started from YAML, for tests. Plugins are
 * given as factories in code, or loaded from a folder as a user's would be.
 *
 * <pre>{@code
 * try (TestGateway gateway = TestGateway.builder()
 *         .yaml("""
 *             routes:
 *               - id: orders
 *                 match: { paths: [/orders/**] }
 *                 url: ${BACKEND}
 *             """)
 *         .env("BACKEND", backend.baseUrl())
 *         .start()) {
 *     HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri("/orders/1")).build(), ofString());
 * }
 * }</pre>
 *
 * <p>Whatever port the YAML names, the gateway listens on a free one; {@link #uri} builds URLs to it.
 */
public final class TestGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestGateway.class);

    private final Gateway gateway;
    private final Map<String, String> env;
    private final PluginFolder plugins;
    private final ScheduledFuture<?> pluginWatch;

    private TestGateway(Gateway gateway, Map<String, String> env, PluginFolder plugins, ScheduledFuture<?> pluginWatch) {
        this.gateway = gateway;
        this.env = env;
        this.plugins = plugins;
        this.pluginWatch = pluginWatch;
    }

    /**
     * Looks at the plugins folder now instead of waiting for the next scan, and applies what
     * changed, as the running gateway does on its own every {@link Builder#pluginsFolder scan interval}.
     *
     * @return whether anything changed
     * @throws IllegalStateException when the gateway was started without a plugins folder
     */
    public boolean scanPlugins() {
        if (plugins == null) {
            throw new IllegalStateException("this gateway was started without a plugins folder");
        }
        boolean changed = plugins.scan();
        if (changed) {
            gateway.pluginsChanged(plugins.current());
        }
        return changed;
    }

    /** Starts describing a gateway. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the gateway listens on. */
    public int port() {
        return gateway.port();
    }

    /** The admin port ({@code /health}, {@code /metrics}), or -1 when the YAML has no {@code server.admin}. */
    public int adminPort() {
        return gateway.adminPort();
    }

    /** The TLS port, or -1 when the YAML configures no TLS. */
    public int tlsPort() {
        return gateway.tlsPort();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** The running gateway, for what the kit does not wrap. */
    public Gateway gateway() {
        return gateway;
    }

    /**
     * Applies new YAML as a hot reload would.
     *
     * @throws ConfigException when it does not build; the running configuration stays
     */
    public void reload(String yaml) throws ConfigException {
        gateway.reload(load(yaml, env));
    }

    /**
     * Watches {@code file} and the files it names (TLS certificates, keys and CAs) every 50 ms, and
     * reloads from {@code file} when the content of any of them changes, as {@code bin/portico run}
     * does twice a second. A reload that does not build is logged and the running configuration
     * stays.
     *
     * @return counts the reloads, and stops watching when closed
     */
    public Watching watch(Path file) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("portico-test-watcher").factory());
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConfigWatcher watcher = ConfigWatcher.watch(file, gateway::watchedFiles, () -> {
            try {
                reload(Files.readString(file));
                applied.incrementAndGet();
            } catch (ConfigException | IOException e) {
                LOG.error("configuration not applied; the previous one keeps running.\n{}", e.getMessage());
                refused.incrementAndGet();
            }
        }, scheduler, Duration.ofMillis(50));
        return new Watching(applied, refused, () -> {
            watcher.close();
            scheduler.shutdownNow();
        });
    }

    /** A file being watched (see {@link #watch}): how many reloads its changes made. */
    public static final class Watching implements AutoCloseable {
        private final AtomicInteger applied;
        private final AtomicInteger refused;
        private final Runnable stop;

        private Watching(AtomicInteger applied, AtomicInteger refused, Runnable stop) {
            this.applied = applied;
            this.refused = refused;
            this.stop = stop;
        }

        /** Reloads that were applied. */
        public int applied() {
            return applied.get();
        }

        /** Reloads that were refused, the running configuration staying. */
        public int refused() {
            return refused.get();
        }

        @Override
        public void close() {
            stop.run();
        }
    }

    @Override
    public void close() throws Exception {
        if (pluginWatch != null) {
            pluginWatch.cancel(false);
        }
        try {
            gateway.close();
        } finally {
            if (plugins != null) {
                plugins.close();
            }
        }
    }

    static LoadedConfig load(String yaml, Map<String, String> env) throws ConfigException {
        LoadedConfig loaded = new ConfigLoader(name -> env.containsKey(name) ? env.get(name) : System.getenv(name))
                .parse(yaml, "test.yaml");
        var server = loaded.config().server().withHost("127.0.0.1").withPort(0).withTlsPort(0);
        return loaded.withConfig(loaded.config().withServer(server));
    }

    /** Describes a gateway to start. */
    public static final class Builder {
        private String yaml = "routes: []";
        private final Map<String, String> env = new HashMap<>();
        private final List<FilterFactory<?>> factories = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Path home = Path.of("").toAbsolutePath();
        private FilterCatalog catalog;
        private Path pluginsFolder;
        private Duration pluginScan = Duration.ofMillis(250);

        private Builder() {
        }

        /** The configuration, as {@code conf/portico.yaml} would hold it. */
        public Builder yaml(String text) {
            this.yaml = text;
            return this;
        }

        /** A value for {@code ${NAME}} in the YAML, taking precedence over the environment. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Filter factories the YAML may name, as if they came from plugin jars. */
        public Builder filters(FilterFactory<?>... more) {
            factories.addAll(List.of(more));
            return this;
        }

        /** The catalog of plugins to use instead of the factories given above. */
        public Builder catalog(FilterCatalog pluginCatalog) {
            this.catalog = pluginCatalog;
            return this;
        }

        /**
         * Loads plugin jars from this folder as {@code bin/portico run} does, and watches it for
         * jars added, replaced or removed. Factories given to {@link #filters} are present too,
         * as the core's own.
         */
        public Builder pluginsFolder(Path folder) {
            this.pluginsFolder = folder;
            return this;
        }

        /** How often the plugins folder is scanned; the default is 250 ms. */
        public Builder pluginScanInterval(Duration interval) {
            this.pluginScan = interval;
            return this;
        }

        /** The clock filters see; the default is the system clock. */
        public Builder clock(Clock testClock) {
            this.clock = testClock;
            return this;
        }

        /** The folder relative paths in the YAML resolve against. */
        public Builder home(Path folder) {
            this.home = folder;
            return this;
        }

        /**
         * Starts the gateway.
         *
         * @throws ConfigException when the YAML does not build
         */
        public TestGateway start() throws Exception {
            LoadedConfig loaded = load(yaml, env);
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
                    Thread.ofPlatform().daemon().name("portico-test-scheduler").factory());
            PluginFolder folder = null;
            FilterCatalog plugins;
            if (pluginsFolder != null) {
                folder = new PluginFolder(pluginsFolder, Files.createTempDirectory("portico-plugin-work"), factories,
                        clock, scheduler, home);
                folder.scan();
                plugins = folder.current();
            } else {
                plugins = catalog != null ? catalog : new StaticFilterCatalog(factories, clock, scheduler, home);
            }
            try {
                Gateway gateway = Gateway.start(loaded, home, plugins, clock, scheduler);
                ScheduledFuture<?> watch = folder == null ? null : folder.watch(pluginScan, gateway::pluginsChanged);
                return new TestGateway(gateway, Map.copyOf(env), folder, watch);
            } catch (Exception e) {
                if (folder != null) {
                    folder.close();
                }
                scheduler.shutdownNow();
                throw e;
            }
        }
    }
}
