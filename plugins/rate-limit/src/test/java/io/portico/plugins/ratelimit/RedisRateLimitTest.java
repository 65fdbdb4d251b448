package io.portico.plugins.ratelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The redis policy against a real redis-server this test starts, kills, freezes and restarts. */
class RedisRateLimitTest {
    static WireMockServer backend;

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

    static TestGateway gateway(RateLimitFactory factory, RedisServer redis, String pluginConfig) throws Exception {
        return gateway(factory, redis.url(), pluginConfig);
    }

    static TestGateway gateway(RateLimitFactory factory, String redisUrl, String pluginConfig) throws Exception {
        return TestGateway.builder().yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: rate-limit
                        config: %s
                """.formatted(pluginConfig)).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .env("REDIS", redisUrl).filters(factory).start();
    }

    @Test
    void admitsExactlyTheLimitOfConcurrentRequests_inBothAlgorithms() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateLimitFactory factory = new RateLimitFactory();
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, redis: { url: '${REDIS}' },"
                    + " key: [header:X-Key], limits: [{ requests: 5, per: 1h }] }")) {
                Calls calls = new Calls(gateway);
                assertEquals(Map.of(200, 5, 429, 25), calls.concurrently(30, "/api/x", "X-Key", "a"));
                assertEquals("1", redis.command("EXISTS portico:rate-limit:{default:" + spaceId("gcra", 5, 3600) + "|a}:0"),
                        "the counter is in Redis under the documented key");
            }
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, redis: { url: '${REDIS}' },"
                    + " algorithm: sliding-window, key: [header:X-Key], limits: [{ requests: 5, per: 1h }] }")) {
                assertEquals(Map.of(200, 5, 429, 25), new Calls(gateway).concurrently(30, "/api/x", "X-Key", "a"));
            }
        }
    }

    @Test
    void headersAcrossWindows_andAScriptFlushIsRecoveredWithEval() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateLimitFactory factory = new RateLimitFactory();
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, redis: { url: '${REDIS}' },"
                    + " key: [client-ip], limits: [{ requests: 2, per: 1m }, { requests: 3, per: 1h }] }")) {
                Calls calls = new Calls(gateway);
                HttpResponse<String> first = calls.get("/api/x");
                assertEquals(200, first.statusCode());
                assertEquals("2", first.headers().firstValue("RateLimit-Limit").orElseThrow());
                assertEquals("1", first.headers().firstValue("RateLimit-Remaining").orElseThrow());
                assertEquals("30", first.headers().firstValue("RateLimit-Reset").orElseThrow());
                assertEquals("OK", redis.command("SCRIPT FLUSH"));
                HttpResponse<String> second = calls.get("/api/x");
                assertEquals(200, second.statusCode(), "NOSCRIPT falls back to EVAL");
                assertEquals("0", second.headers().firstValue("RateLimit-Remaining").orElseThrow());
                HttpResponse<String> third = calls.get("/api/x");
                assertEquals(429, third.statusCode());
                assertTrue(third.body().contains("RATE_LIMITED"), third.body());
                long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retryAfter >= 29 && retryAfter <= 30, "Retry-After " + retryAfter);
            }
        }
    }

    @Test
    void throttleReservesTurnsInRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestGateway gateway = gateway(new RateLimitFactory(), redis, "{ policy: redis, redis: { url: '${REDIS}' },"
                     + " key: [header:X-Key], mode: throttle, max-delay: 1s, limits: [{ requests: 2, per: 1s, burst: 1 }] }")) {
            Calls calls = new Calls(gateway);
            // the first call makes the Redis client; done on another key so the six below arrive together
            assertEquals(200, calls.get("/api/x", "X-Key", "warm").statusCode());
            // one at once, one after 500ms, one after 1s; a fourth would wait 1.5s
            assertEquals(Map.of(200, 3, 429, 3), calls.concurrently(6, "/api/x", "X-Key", "turns"));
        }
    }

    @Test
    void failOpen_redisKilledMidRun_noRequestFails_andLimitingResumesWhenRedisReturns() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateLimitFactory factory = new RateLimitFactory();
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, on-redis-failure: allow,"
                    + " redis: { url: '${REDIS}', circuit: { failures: 3, open-for: 300ms } },"
                    + " key: [header:X-Key], limits: [{ requests: 2, per: 1m }] }")) {
                Calls calls = new Calls(gateway);
                RedisConnection connection = factory.connection(factory.connectionSettings());
                Load load = Load.run(calls, 4, Duration.ofSeconds(3), run -> {
                    Thread.sleep(1000);
                    redis.kill();
                    run.mark();
                });
                assertEquals(load.total(), load.count(200), "every request was let through: " + load);
                assertTrue(load.sentAfterMark() >= 4, "requests were sent while Redis was down: " + load);
                assertTrue(connection.circuitOpen(), "the outage was seen and the circuit opened");

                redis.restart();
                resumes(calls, connection);
            }
        }
    }

    @Test
    void failClosed_redisKilledMidRun_answers503Problems_andLimitingResumesWhenRedisReturns() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateLimitFactory factory = new RateLimitFactory();
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, on-redis-failure: deny,"
                    + " redis: { url: '${REDIS}', circuit: { failures: 3, open-for: 300ms } },"
                    + " key: [header:X-Key], limits: [{ requests: 2, per: 1m }] }")) {
                Calls calls = new Calls(gateway);
                RedisConnection connection = factory.connection(factory.connectionSettings());
                Load load = Load.run(calls, 4, Duration.ofSeconds(3), run -> {
                    Thread.sleep(1000);
                    redis.kill();
                    run.mark();
                });
                assertEquals(load.total(), load.count(200) + load.count(503), "only 200 and 503: " + load);
                assertTrue(load.count(200) > 0, "admitted before the kill: " + load);
                // requests already past Redis when it died may still be 200; those sent after are refused
                assertTrue(load.count(503) >= load.sentAfterMark() - 4 && load.sentAfterMark() >= 4,
                        "refused after the kill: " + load + ", sent after the kill: " + load.sentAfterMark());
                HttpResponse<String> refused = calls.get("/api/x", "X-Key", "down");
                assertEquals(503, refused.statusCode());
                assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
                assertTrue(refused.body().contains("\"code\":\"RATE_LIMIT_UNAVAILABLE\""), refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());

                redis.restart();
                resumes(calls, connection);
            }
        }
    }

    @Test
    void aHungRedisCostsTheTimeoutOnlyUntilTheCircuitOpens() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RateLimitFactory factory = new RateLimitFactory();
            try (TestGateway gateway = gateway(factory, redis, "{ policy: redis, on-redis-failure: allow,"
                    + " redis: { url: '${REDIS}', timeout: 200ms, circuit: { failures: 3, open-for: 1m } },"
                    + " key: [header:X-Key], limits: [{ requests: 100, per: 1s }] }")) {
                Calls calls = new Calls(gateway);
                assertEquals(200, calls.get("/api/x", "X-Key", "warm").statusCode());
                RedisConnection connection = factory.connection(factory.connectionSettings());
                long before = connection.calls();
                redis.freeze();
                long[] took = new long[30];
                for (int i = 0; i < took.length; i++) {
                    long start = System.nanoTime();
                    assertEquals(200, calls.get("/api/x", "X-Key", "k" + i).statusCode());
                    took[i] = (System.nanoTime() - start) / 1_000_000;
                }
                // the three that opened the circuit waited for the timeout; the 27 after it never called Redis
                assertEquals(3, connection.calls() - before, "calls that reached for the hung Redis");
                assertTrue(connection.circuitOpen());
                System.out.println("hung Redis, milliseconds per request: " + java.util.Arrays.toString(took));
            }
        }
    }

    @Test
    void anAclUserWhoMayNotNameItsConnectionIsStillLimited_andAWrongPasswordFailsOpen() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // CLIENT SETNAME, which every new connection sends, is refused to this user: no harm
            assertEquals("OK", redis.command("ACL SETUSER limited on >secret ~* +@all -client"));
            String limited = "redis://limited:secret@127.0.0.1:" + redis.port();
            try (TestGateway gateway = gateway(new RateLimitFactory(), limited, "{ policy: redis,"
                    + " redis: { url: '${REDIS}' }, key: [header:X-Key], limits: [{ requests: 2, per: 1h }] }")) {
                Calls calls = new Calls(gateway);
                assertEquals(200, calls.get("/api/x", "X-Key", "acl").statusCode());
                assertEquals(200, calls.get("/api/x", "X-Key", "acl").statusCode());
                assertEquals(429, calls.get("/api/x", "X-Key", "acl").statusCode(), "limited as that user");
            }
            // AUTH must succeed: with the wrong password no call is answered, and allow lets requests through
            String wrong = "redis://limited:wrong@127.0.0.1:" + redis.port();
            try (TestGateway gateway = gateway(new RateLimitFactory(), wrong, "{ policy: redis, on-redis-failure: allow,"
                    + " redis: { url: '${REDIS}' }, key: [header:X-Key], limits: [{ requests: 1, per: 1h }] }")) {
                Calls calls = new Calls(gateway);
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> answer = calls.get("/api/x", "X-Key", "wrong");
                    assertEquals(200, answer.statusCode());
                    assertTrue(answer.headers().firstValue("RateLimit-Limit").isEmpty(), "not limited: AUTH failed");
                }
            }
        }
    }

    @Test
    void aConnectionWhoseCallsGoUnansweredIsLeft_andTheNextCallConnectsAfresh() throws Exception {
        // accepts connections (the kernel does) and never answers, as a peer that died without a reset
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!blackHole.isClosed()) {
                    try {
                        accepted.add(blackHole.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            try (TestGateway gateway = gateway(new RateLimitFactory(), "redis://127.0.0.1:" + blackHole.getLocalPort(),
                    "{ policy: redis, on-redis-failure: allow, key: [client-ip], redis: { url: '${REDIS}', timeout: 50ms,"
                    + " circuit: { failures: 100 } }, limits: [{ requests: 100, per: 1s }] }")) {
                Calls calls = new Calls(gateway);
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> answer = calls.get("/api/x");
                    assertEquals(200, answer.statusCode(), "let through: " + answer.body());
                    assertTrue(answer.headers().firstValue("RateLimit-Limit").isEmpty(), "not limited: Redis never answered");
                }
                assertEquals(3, accepted.size(), "each call's connection was closed at its deadline and the next made a new one");
            } finally {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    /** Sends fresh keys until a probe closes the circuit, then checks that a key is limited again. */
    private static void resumes(Calls calls, RedisConnection connection) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int probe = 0;
        while (connection.circuitOpen()) {
            assertTrue(System.nanoTime() < deadline, "the circuit did not close within 10s of Redis' return");
            calls.get("/api/x", "X-Key", "probe-" + probe++);
            Thread.sleep(50);
        }
        assertEquals(200, calls.get("/api/x", "X-Key", "after").statusCode());
        assertEquals(200, calls.get("/api/x", "X-Key", "after").statusCode());
        HttpResponse<String> third = calls.get("/api/x", "X-Key", "after");
        assertEquals(429, third.statusCode(), "limiting resumed without a restart: " + third.body());
    }

    private static String spaceId(String algorithm, int requests, long seconds) {
        RateLimitConfig config = new RateLimitConfig(null, java.util.List.of(new RateLimitConfig.WindowConfig(requests,
                Duration.ofSeconds(seconds), null)), RateLimitConfig.Algorithm.valueOf(algorithm.toUpperCase()),
                null, null, null, null, null, null, null, null);
        return CounterSpace.of(config).id().substring("default:".length());
    }
}
