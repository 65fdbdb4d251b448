package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.server.ConfigWatcher;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadTest {
    WireMockServer one;
    WireMockServer two;
    final HttpClient client = Backends.client();

    @BeforeEach
    void start() {
        one = Backends.start();
        one.stubFor(any(anyUrl()).willReturn(aResponse().withBody("one")));
        two = Backends.start();
        two.stubFor(any(anyUrl()).willReturn(aResponse().withBody("two")));
    }

    @AfterEach
    void stop() {
        one.stop();
        two.stop();
    }

    static String config(String url) {
        return """
                routes:
                  - id: r
                    match: { paths: [/r/**] }
                    url: %s
                """.formatted(url);
    }

    String body(TestGateway gateway, String path) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.body();
    }

    @Test
    void reload_swapsRoutes_andABadConfigKeepsTheRunningOne() throws Exception {
        try (TestGateway gateway = TestGateway.builder().yaml(config(Backends.url(one))).start()) {
            assertEquals("200 one", body(gateway, "/r/x"));
            gateway.reload(config(Backends.url(two)) + """
                  - id: s
                    match: { paths: [/s/**] }
                    url: %s
                """.formatted(Backends.url(one)));
            assertEquals("200 two", body(gateway, "/r/x"));
            assertEquals("200 one", body(gateway, "/s/x"));

            ConfigException refused = assertThrows(ConfigException.class, () -> gateway.reload("""
                    routes:
                      - id: r
                        match: { paths: [/r/**] }
                        upstream: nowhere
                    """));
            assertTrue(refused.getMessage().contains("routes[0].upstream: no upstream is named 'nowhere'"), refused.getMessage());
            assertEquals("200 two", body(gateway, "/r/x"));
            assertEquals("200 one", body(gateway, "/s/x"));
        }
    }

    @Test
    void reloadUnderLoad_failsNoRequest() throws Exception {
        try (TestGateway gateway = TestGateway.builder().yaml(config(Backends.url(one))).start()) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<List<Integer>>> workers = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < 4; w++) {
                    workers.add(pool.submit(() -> {
                        List<Integer> statuses = new ArrayList<>();
                        for (int i = 0; i < 500 && running.get(); i++) {
                            statuses.add(client.send(HttpRequest.newBuilder(gateway.uri("/r/load")).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode());
                        }
                        return statuses;
                    }));
                }
                for (int i = 0; i < 20; i++) {
                    gateway.reload(config(Backends.url(i % 2 == 0 ? two : one)));
                    Thread.sleep(10);
                }
                running.set(false);
                int total = 0;
                for (Future<List<Integer>> worker : workers) {
                    for (int status : worker.get()) {
                        assertEquals(200, status);
                        total++;
                    }
                }
                assertTrue(total > 0);
            }
        }
    }

    @Test
    void editedFile_isAppliedWithoutRestart_andABrokenEditIsRefused(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("portico.yaml");
        Files.writeString(file, config(Backends.url(one)));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (TestGateway gateway = TestGateway.builder().yaml(Files.readString(file)).start()) {
            ConfigLoader loader = new ConfigLoader(name -> null);
            // the test gateway listens on a free port; keep it there when the file is re-read
            try (ConfigWatcher watcher = ConfigWatcher.watch(file, () -> {
                try {
                    gateway.reload(Files.readString(file));
                } catch (Exception e) {
                    // refused: the running configuration stays
                }
            }, scheduler, Duration.ofMillis(50))) {
                Files.writeString(file, config(Backends.url(two)));
                assertEquals("200 two", eventually(gateway, "200 two"));
                Files.writeString(file, "routes: [ { id: r, url: nope");
                Thread.sleep(300);
                assertEquals("200 two", body(gateway, "/r/x"));
                assertTrue(loader != null);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private String eventually(TestGateway gateway, String wanted) throws Exception {
        String last = null;
        for (int i = 0; i < 100; i++) {
            last = body(gateway, "/r/x");
            if (last.equals(wanted)) {
                return last;
            }
            Thread.sleep(20);
        }
        return last;
    }
}
