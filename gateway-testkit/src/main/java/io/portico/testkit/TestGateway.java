package io.portico.testkit;

import io.portico.api.FilterFactory;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.FilterCatalog;
import io.portico.core.plugin.StaticFilterCatalog;
import io.portico.core.server.Gateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
    private final Gateway gateway;
    private final Map<String, String> env;

    private TestGateway(Gateway gateway, Map<String, String> env) {
        this.gateway = gateway;
        this.env = env;
    }

    /** Starts describing a gateway. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the gateway listens on. */
    public int port() {
        return gateway.port();
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

    @Override
    public void close() throws Exception {
        gateway.close();
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
            FilterCatalog plugins = catalog != null ? catalog : new StaticFilterCatalog(factories, clock, scheduler, home);
            try {
                return new TestGateway(Gateway.start(loaded, home, plugins, clock, scheduler), Map.copyOf(env));
            } catch (Exception e) {
                scheduler.shutdownNow();
                throw e;
            }
        }
    }
}
