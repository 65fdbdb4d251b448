package io.portico.plugins.ratelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local policy through a real gateway, with a clock that moves only when the test says. */
class LocalRateLimitTest {
    static WireMockServer backend;
    TestClock clock = new TestClock(Instant.parse("2026-11-24T10:00:00.250Z"));

    @BeforeAll
    static void startBackend() {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetRequests();
    }

    TestGateway gateway(String pluginConfig) throws Exception {
        return TestGateway.builder().yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: test-consumer
                      - name: rate-limit
                        config: %s
                  - id: other
                    match: { paths: [/other/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: test-consumer
                      - name: rate-limit
                        config: %s
                """.formatted(pluginConfig, pluginConfig)).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .clock(clock).filters(new RateLimitFactory(), new TestConsumers()).start();
    }

    @Test
    void gcra_admitsExactlyTheBurstOfManyConcurrentRequests_thenOneMorePerInterval() throws Exception {
        try (TestGateway gateway = gateway("{ key: [client-ip], limits: [{ requests: 50, per: 1m }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 50, 429, 150), calls.concurrently(200, "/api/x"));
            assertEquals(50, backend.findAll(anyRequestedFor(anyUrl())).size(), "only the admitted reach the upstream");
            clock.advance(Duration.ofMillis(1199)); // one interval is 1.2s
            assertEquals(Map.of(429, 20), calls.concurrently(20, "/api/x"));
            clock.advance(Duration.ofMillis(1));
            assertEquals(Map.of(200, 1, 429, 19), calls.concurrently(20, "/api/x"));
            clock.advance(Duration.ofMinutes(1));
            assertEquals(Map.of(200, 50, 429, 30), calls.concurrently(80, "/api/x"));
        }
    }

    @Test
    void slidingWindow_admitsExactlyTheLimitOfManyConcurrentRequests_andWeighsThePreviousWindow() throws Exception {
        try (TestGateway gateway = gateway("{ key: [client-ip], algorithm: sliding-window, limits: [{ requests: 40, per: 1s }] }")) {
            Calls calls = new Calls(gateway);
            // the clock stands at .250 of a second: 40 fit in this window
            assertEquals(Map.of(200, 40, 429, 160), calls.concurrently(200, "/api/x"));
            // at .500 of the next second half of the previous window still counts: 40 * 0.5 = 20, so 20 more fit
            clock.advance(Duration.ofMillis(1250));
            assertEquals(Map.of(200, 20, 429, 30), calls.concurrently(50, "/api/x"));
            // two windows later nothing counts
            clock.advance(Duration.ofSeconds(2));
            assertEquals(Map.of(200, 40, 429, 10), calls.concurrently(50, "/api/x"));
        }
    }

    @Test
    void headersReportTheTightestWindow_andA429IsAProblemWithRetryAfter() throws Exception {
        try (TestGateway gateway = gateway("{ key: [client-ip], limits: [{ requests: 3, per: 1s }, { requests: 5, per: 1h }] }")) {
            Calls calls = new Calls(gateway);
            HttpResponse<String> first = calls.get("/api/x");
            assertEquals(200, first.statusCode());
            assertEquals("3", first.headers().firstValue("RateLimit-Limit").orElseThrow());
            assertEquals("2", first.headers().firstValue("RateLimit-Remaining").orElseThrow());
            assertEquals("1", first.headers().firstValue("RateLimit-Reset").orElseThrow());
            assertEquals("3;w=1, 5;w=3600", first.headers().firstValue("RateLimit-Policy").orElseThrow());
            assertEquals(200, calls.get("/api/x").statusCode());
            assertEquals(200, calls.get("/api/x").statusCode());
            HttpResponse<String> refused = calls.get("/api/x");
            assertEquals(429, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElseThrow());
            assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
            assertTrue(refused.body().contains("\"code\":\"RATE_LIMITED\""), refused.body());
            assertTrue(refused.body().contains("3 per 1s"), refused.body());
            // a second later the hourly window is the tight one: 5 - 3 = 2 left, after this one 1
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> later = calls.get("/api/x");
            assertEquals(200, later.statusCode());
            assertEquals("5", later.headers().firstValue("RateLimit-Limit").orElseThrow());
            assertEquals("1", later.headers().firstValue("RateLimit-Remaining").orElseThrow());
            assertEquals(200, calls.get("/api/x").statusCode());
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> hourly = calls.get("/api/x");
            assertEquals(429, hourly.statusCode());
            // the hourly bucket frees one request every 12 minutes
            long retryAfter = Long.parseLong(hourly.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 600 && retryAfter <= 720, "Retry-After " + retryAfter);
        }
    }

    @Test
    void legacyHeadersByOption() throws Exception {
        try (TestGateway gateway = gateway("{ key: [route], headers: legacy, limits: [{ requests: 2, per: 1m }] }")) {
            HttpResponse<String> response = new Calls(gateway).get("/api/x");
            assertEquals("2", response.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertEquals("1", response.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertEquals("30", response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertTrue(response.headers().firstValue("RateLimit-Limit").isEmpty());
        }
    }

    @Test
    void anAdmittedRequestThatTheGatewayAnswersItselfCarriesItsCountToo() throws Exception {
        backend.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/reset"))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        try (TestGateway gateway = gateway("{ key: [route], limits: [{ requests: 2, per: 1m }] }")) {
            HttpResponse<String> response = new Calls(gateway).get("/api/reset");
            assertEquals(502, response.statusCode());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("1", response.headers().firstValue("RateLimit-Remaining").orElseThrow(), "it was counted");
        }
    }

    @Test
    void theUpstreamsOwnRateLimitHeadersOfTheNamesSetGiveWayToTheGateways() throws Exception {
        backend.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/limited"))
                .willReturn(aResponse().withStatus(200).withBody("ok")
                        .withHeader("RateLimit-Limit", "999").withHeader("ratelimit-remaining", "998")
                        .withHeader("X-RateLimit-Limit", "999").withHeader("X-Upstream", "kept")));
        try (TestGateway gateway = gateway("{ key: [route], headers: both, limits: [{ requests: 2, per: 1m }] }")) {
            HttpResponse<String> response = new Calls(gateway).get("/api/limited");
            assertEquals(200, response.statusCode());
            assertEquals(java.util.List.of("2"), response.headers().allValues("RateLimit-Limit"));
            assertEquals(java.util.List.of("1"), response.headers().allValues("RateLimit-Remaining"));
            assertEquals(java.util.List.of("2"), response.headers().allValues("X-RateLimit-Limit"));
            assertEquals("kept", response.headers().firstValue("X-Upstream").orElseThrow());
        }
        // only the names the gateway sets give way: with the IETF set alone, the upstream's legacy one stays
        try (TestGateway gateway = gateway("{ key: [route], headers: ietf, limits: [{ requests: 2, per: 1m }] }")) {
            HttpResponse<String> response = new Calls(gateway).get("/api/limited");
            assertEquals(java.util.List.of("2"), response.headers().allValues("RateLimit-Limit"));
            assertEquals(java.util.List.of("999"), response.headers().allValues("X-RateLimit-Limit"));
        }
    }

    @Test
    void keysSeparateConsumers_headerValues_claims_andRoutes() throws Exception {
        try (TestGateway gateway = gateway("{ key: [consumer], limits: [{ requests: 2, per: 1m }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 2, 429, 3), calls.concurrently(5, "/api/x", "X-Consumer", "alice"));
            assertEquals(Map.of(200, 2, 429, 3), calls.concurrently(5, "/api/x", "X-Consumer", "bob"));
            // without a consumer the key falls back to the client's IP, a bucket of its own
            assertEquals(Map.of(200, 2, 429, 3), calls.concurrently(5, "/api/x"));
            // the key holds no route: both routes count in one space for alice
            assertEquals(429, calls.get("/other/x", "X-Consumer", "alice").statusCode());
        }
        try (TestGateway gateway = gateway("{ key: [route, header:X-Tenant], namespace: per-tenant, limits: [{ requests: 1, per: 1m }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(200, calls.get("/api/x", "X-Tenant", "a").statusCode());
            assertEquals(429, calls.get("/api/x", "X-Tenant", "a").statusCode());
            assertEquals(200, calls.get("/api/x", "X-Tenant", "b").statusCode());
            assertEquals(200, calls.get("/other/x", "X-Tenant", "a").statusCode(), "another route, another key");
        }
        try (TestGateway gateway = gateway("{ key: [claim:tenant], namespace: per-claim, limits: [{ requests: 1, per: 1m }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(200, calls.get("/api/x", "X-Consumer", "alice", "X-Tenant-Claim", "t1").statusCode());
            assertEquals(429, calls.get("/api/x", "X-Consumer", "bob", "X-Tenant-Claim", "t1").statusCode(),
                    "one tenant, two consumers: one bucket");
            assertEquals(200, calls.get("/api/x", "X-Consumer", "carol", "X-Tenant-Claim", "t2").statusCode());
        }
    }

    @Test
    void upstreamKey_countsEveryRouteToThePoolTogether() throws Exception {
        try (TestGateway gateway = TestGateway.builder().yaml("""
                upstreams:
                  orders:
                    targets: [{ url: "${BACKEND}" }]
                plugins:
                  - name: rate-limit
                    config: { key: [upstream], limits: [{ requests: 2, per: 1m }] }
                routes:
                  - id: orders
                    match: { paths: [/orders/**] }
                    upstream: orders
                  - id: orders-legacy
                    match: { paths: [/legacy/orders/**] }
                    upstream: orders
                  - id: other
                    match: { paths: [/other/**] }
                    url: ${BACKEND}
                """).env("BACKEND", "http://127.0.0.1:" + backend.port()).clock(clock)
                .filters(new RateLimitFactory()).start()) {
            Calls calls = new Calls(gateway);
            assertEquals(200, calls.get("/orders/1").statusCode());
            assertEquals(200, calls.get("/legacy/orders/1").statusCode());
            assertEquals(429, calls.get("/orders/2").statusCode(), "two routes, one pool, one count");
            assertEquals(429, calls.get("/legacy/orders/2").statusCode());
            assertEquals(200, calls.get("/other/x").statusCode(), "another pool counts apart");
            assertEquals(200, calls.get("/other/x").statusCode());
            assertEquals(429, calls.get("/other/x").statusCode());
        }
    }

    @Test
    void countersSurviveAReload() throws Exception {
        String config = "{ key: [client-ip], limits: [{ requests: 2, per: 1m }] }";
        try (TestGateway gateway = gateway(config)) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 2, 429, 1), calls.concurrently(3, "/api/x"));
            gateway.reload("""
                    routes:
                      - id: api
                        match: { paths: [/api/**] }
                        url: http://127.0.0.1:%d
                        plugins:
                          - name: rate-limit
                            config: %s
                    """.formatted(backend.port(), config));
            assertEquals(429, calls.get("/api/x").statusCode());
        }
    }

    @Test
    void throttle_delaysUpToMaxDelay_thenRefuses() throws Exception {
        // one request per 100ms, no burst beyond one: the 2nd waits 100ms, the 6th 500ms, the 7th is refused
        try (TestGateway gateway = gateway("{ key: [client-ip], mode: throttle, max-delay: 500ms,"
                + " limits: [{ requests: 10, per: 1s, burst: 1 }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 6, 429, 4), calls.concurrently(10, "/api/x"));
            assertEquals(6, backend.findAll(anyRequestedFor(anyUrl())).size());
            // the clock stands still, so the next request reserves a turn 600ms out: too far
            long start = System.nanoTime();
            assertEquals(429, calls.get("/api/x").statusCode());
            clock.advance(Duration.ofMillis(500));
            start = System.nanoTime();
            assertEquals(200, calls.get("/api/x").statusCode());
            long waited = System.nanoTime() - start;
            assertTrue(waited >= Duration.ofMillis(100).toNanos(), "the request waited for its turn: " + waited + "ns");
        }
    }

    @Test
    void throttleWithASlidingWindow_waitsForRoomThenGoes() throws Exception {
        try (TestGateway gateway = gateway("{ key: [client-ip], algorithm: sliding-window, mode: throttle,"
                + " max-delay: 2s, limits: [{ requests: 2, per: 1s }] }")) {
            Calls calls = new Calls(gateway);
            assertEquals(Map.of(200, 2), calls.concurrently(2, "/api/x"));
            // the clock stands still, so room never comes: refused once the waits add up to max-delay
            assertEquals(429, calls.get("/api/x").statusCode());
        }
    }

    @Test
    void configErrorsNameTheFieldAndLine() {
        assertConfigError("{ limits: [] }", "config.limits", "at least one window");
        assertConfigError("{ limits: [{ requests: 0, per: 1s }] }", "requests", "must be > 0");
        assertConfigError("{ key: [cookie], limits: [{ requests: 1, per: 1s }] }", "config.key", "not a key part");
        assertConfigError("{ key: [header], limits: [{ requests: 1, per: 1s }] }", "config.key", "header:NAME");
        assertConfigError("{ algorithm: sliding-window, limits: [{ requests: 1, per: 1s, burst: 3 }] }", "config.limits",
                "burst applies to the gcra algorithm only");
        assertConfigError("{ max-delay: 1s, limits: [{ requests: 1, per: 1s }] }", "config.max-delay", "throttle");
        assertConfigError("{ policy: redis, redis: { url: http://x }, limits: [{ requests: 1, per: 1s }] }", "url",
                "redis://");
        assertConfigError("{ redis: { url: redis://h:1 }, limits: [{ requests: 1, per: 1s }] }", "config.redis",
                "policy: redis");
    }

    private void assertConfigError(String config, String path, String message) {
        ConfigException error = assertThrows(ConfigException.class, () -> gateway(config).close());
        assertTrue(error.getMessage().contains(path), error.getMessage());
        assertTrue(error.getMessage().contains(message), error.getMessage());
        assertTrue(error.getMessage().contains("line 8"), error.getMessage());
    }
}
