package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Metrics;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin port: health and Prometheus metrics, the gateway's own and a plugin's. */
class AdminTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = Backends.client();

    /** Counts the requests it sees, through PluginContext.metrics(). */
    static final class Counting implements FilterFactory<Counting.Config> {
        record Config() {
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public Phase phase() {
            return Phase.EDGE;
        }

        @Override
        public GatewayFilter create(Config config, PluginContext context) {
            Metrics.Counter seen = context.metrics().counter("requests.seen", "kind", "test");
            return (exchange, chain) -> {
                seen.increment();
                return chain.proceed(exchange);
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        gateway = TestGateway.builder().yaml("""
                server:
                  admin: { port: 0 }
                routes:
                  - id: counted
                    match: { paths: [/counted/**] }
                    url: ${BACKEND}
                    plugins: [{ name: counting }]
                """).env("BACKEND", Backends.url(backend)).filters(new Counting()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @Test
    void metricsCountRequestsByRouteAndStatusAndWhatPluginsReport() throws Exception {
        for (int i = 0; i < 3; i++) {
            client.send(HttpRequest.newBuilder(gateway.uri("/counted/x")).build(), HttpResponse.BodyHandlers.discarding());
        }
        client.send(HttpRequest.newBuilder(gateway.uri("/nowhere")).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> metrics = admin("/metrics");
        assertEquals(200, metrics.statusCode());
        String text = metrics.body();
        assertTrue(text.contains("portico_requests_total{route=\"counted\",status=\"2xx\"} 3.0"), text);
        assertTrue(text.contains("portico_requests_total{route=\"(none)\",status=\"4xx\"} 1.0"), text);
        assertTrue(text.contains("portico_request_duration_seconds_count{route=\"counted\"} 3"), text);
        assertTrue(text.contains("portico_plugin_requests_seen_total{kind=\"test\",plugin=\"builtin:counting\"} 3.0"), text);
    }

    @Test
    void healthSaysUpWithTheConfiguration() throws Exception {
        HttpResponse<String> health = admin("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"routes\":1"), health.body());
    }

    @Test
    void theAdminEndpointsAreNotOnTheTrafficPort() throws Exception {
        assertEquals(404, client.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
