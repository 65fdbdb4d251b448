package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.PluginApi;
import io.portico.core.config.ConfigException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars in a folder, loaded by PF4J, added, replaced and removed while the gateway runs. */
class PluginFolderTest {
    static final String ROUTE = """
            routes:
              - id: greeted
                match: { paths: [/greeted/**] }
                url: ${BACKEND}
                plugins: [{ name: greeting }]
            """;
    static final String PLAIN = """
            routes:
              - id: greeted
                match: { paths: [/greeted/**] }
                url: ${BACKEND}
            """;
    static WireMockServer backend;
    final HttpClient client = Backends.client();

    @TempDir
    Path plugins;

    @BeforeAll
    static void start() {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello")));
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @Test
    void aJarInTheFolderIsLoadedAndItsFilterRuns() throws Exception {
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", PluginApi.version());
        try (TestGateway gateway = start(ROUTE)) {
            assertEquals("one", get(gateway).headers().firstValue("X-Greeting").orElse(null));
        }
    }

    @Test
    void aReplacedJarTakesOverUnderLoadWithoutAFailedRequest() throws Exception {
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", PluginApi.version());
        try (TestGateway gateway = start(ROUTE)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            var seen = ConcurrentHashMap.<String>newKeySet();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    clients.add(executor.submit(() -> {
                        Instant end = Instant.now().plusSeconds(10);
                        while (running.get() && Instant.now().isBefore(end)) {
                            try {
                                HttpResponse<String> response = get(gateway);
                                sent.incrementAndGet();
                                if (response.statusCode() != 200) {
                                    failures.incrementAndGet();
                                }
                                seen.add(response.headers().firstValue("X-Greeting").orElse("none"));
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(300);
                PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "two", PluginApi.version());
                // the folder watcher picks it up on its own
                awaitGreeting(gateway, "two");
                Thread.sleep(300);
                running.set(false);
                for (Future<?> each : clients) {
                    each.get();
                }
            }
            assertEquals(0, failures.get(), "failed requests out of " + sent.get());
            assertTrue(seen.contains("one") && seen.contains("two"), "greetings seen: " + seen);
            assertTrue(!seen.contains("none"), "every request ran one version of the filter: " + seen);
        }
    }

    @Test
    void aJarDroppedInLaterCanBeNamedByTheNextConfiguration() throws Exception {
        try (TestGateway gateway = start(PLAIN)) {
            ConfigException before = assertThrows(ConfigException.class, () -> gateway.reload(ROUTE));
            assertTrue(before.getMessage().contains("no plugin named 'greeting' is loaded"), before.getMessage());
            PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "late", PluginApi.version());
            gateway.scanPlugins();
            gateway.reload(ROUTE);
            assertEquals("late", get(gateway).headers().firstValue("X-Greeting").orElse(null));
        }
    }

    @Test
    void aRemovedJarStaysInUseUntilTheConfigurationStopsNamingIt() throws Exception {
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", PluginApi.version());
        try (TestGateway gateway = start(ROUTE)) {
            Files.delete(plugins.resolve("greeting.jar"));
            assertTrue(gateway.scanPlugins());
            // the running configuration names it: it keeps running on the plugin it was built with
            assertEquals("one", get(gateway).headers().firstValue("X-Greeting").orElse(null));
            gateway.reload(PLAIN);
            assertEquals(200, get(gateway).statusCode());
            assertTrue(get(gateway).headers().firstValue("X-Greeting").isEmpty());
            ConfigException again = assertThrows(ConfigException.class, () -> gateway.reload(ROUTE));
            assertTrue(again.getMessage().contains("no plugin named 'greeting'"), again.getMessage());
        }
    }

    @Test
    void aPluginBuiltForAnotherApiVersionIsRefusedNamingBothVersions() throws Exception {
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", "2.0");
        ConfigException error = assertThrows(ConfigException.class, () -> start(ROUTE).close());
        assertTrue(error.getMessage().contains("built for plugin API 2.0"), error.getMessage());
        assertTrue(error.getMessage().contains("provides plugin API " + PluginApi.version()), error.getMessage());
        assertTrue(error.getMessage().contains("routes[0].plugins[0].name"), error.getMessage());
    }

    @Test
    void aBrokenJarIsLoggedAndTheOthersStillLoad() throws Exception {
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", PluginApi.version());
        try (TestGateway gateway = start(ROUTE)) {
            assertEquals("one", get(gateway).headers().firstValue("X-Greeting").orElse(null));
        }
    }

    @Test
    void aPluginWhoseFactoryThrowsAtStartIsLeftOutAndTheOthersServe() throws Exception {
        PluginJarBuilder.fragile(plugins.resolve("fragile.jar"), "constructor");
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", PluginApi.version());
        try (TestGateway gateway = start(ROUTE)) {
            assertEquals("one", get(gateway).headers().firstValue("X-Greeting").orElse(null));
            ConfigException error = assertThrows(ConfigException.class, () -> gateway.reload(ROUTE.replace(
                    "plugins: [{ name: greeting }]", "plugins: [{ name: fragile }]")));
            assertTrue(error.getMessage().contains("plugin 'fragile' (fragile.jar) failed to load"), error.getMessage());
            assertEquals("one", get(gateway).headers().firstValue("X-Greeting").orElse(null), "the running one stays");
        }
    }

    @Test
    void aPluginMissingAClassIsRefusedByValidationNotByACrash() throws Exception {
        PluginJarBuilder.fragile(plugins.resolve("fragile.jar"), "missing-class");
        try (TestGateway gateway = start(PLAIN)) {
            ConfigException error = assertThrows(ConfigException.class, () -> gateway.reload(ROUTE.replace(
                    "plugins: [{ name: greeting }]", "plugins: [{ name: fragile }]")));
            assertTrue(error.getMessage().contains("routes[0].plugins[0].config"), error.getMessage());
            assertTrue(error.getMessage().contains("NoClassDefFoundError"), error.getMessage());
            assertEquals(200, get(gateway).statusCode(), "the gateway goes on serving");
        }
    }

    @Test
    void aJarWithoutAnApiVersionIsRefused() throws Exception {
        PluginJarBuilder.greeting(plugins.resolve("greeting.jar"), "one", null);
        ConfigException error = assertThrows(ConfigException.class, () -> start(ROUTE).close());
        assertTrue(error.getMessage().contains("does not say which plugin API"), error.getMessage());
    }

    private TestGateway start(String yaml) throws Exception {
        return TestGateway.builder().yaml(yaml).env("BACKEND", Backends.url(backend)).pluginsFolder(plugins)
                .pluginScanInterval(Duration.ofMillis(100)).start();
    }

    private HttpResponse<String> get(TestGateway gateway) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/greeted/x")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitGreeting(TestGateway gateway, String wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (wanted.equals(get(gateway).headers().firstValue("X-Greeting").orElse(null))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the filter never answered '" + wanted + "'");
    }
}
