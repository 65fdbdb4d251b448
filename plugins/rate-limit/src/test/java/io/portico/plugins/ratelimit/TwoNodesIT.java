package io.portico.plugins.ratelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Portico processes, each loading the built plugin jar, share one real Redis. 2,000 requests
 * against 100 per second, from both at once over four seconds: the admitted count must be within
 * 2% of what the limit allows over the run, measured from the first request sent to the last.
 */
class TwoNodesIT {
    static final int REQUESTS = 2000;
    static final Duration RUN = Duration.ofSeconds(4);

    static WireMockServer backend;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        backend.stop();
        redis.close();
    }

    @Test
    void gcra_twoNodesAdmitTheBurstPlusTheRateOverTheRun() throws Exception {
        Run run = runAgainstTwoNodes("gcra");
        // the bucket starts full (burst = 100), then refills at 100 per second
        double allowed = 100 + 100 * run.seconds();
        report("gcra", run, allowed);
        assertTrue(Math.abs(run.admitted() - allowed) <= 0.02 * allowed,
                "admitted " + run.admitted() + ", the limit allows " + allowed + " over " + run.seconds() + "s");
    }

    @Test
    void slidingWindow_twoNodesAdmitTheRateOverTheRun() throws Exception {
        Run run = runAgainstTwoNodes("sliding-window");
        // windows start on whole seconds; the first one admits its 100 however late the run starts in it
        double firstWindowStart = Math.floor(run.firstSentSeconds());
        double allowed = 100 * (run.lastSentSeconds() - firstWindowStart);
        report("sliding-window", run, allowed);
        assertTrue(Math.abs(run.admitted() - allowed) <= 0.02 * allowed,
                "admitted " + run.admitted() + ", the limit allows " + allowed);
    }

    private static Run runAgainstTwoNodes(String algorithm) throws Exception {
        String yaml = """
                server:
                  access-log: { enabled: false }
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: rate-limit
                        config:
                          policy: redis
                          namespace: %s
                          redis: { url: "${REDIS}", timeout: 200ms }
                          key: [route]
                          algorithm: %s
                          limits: [{ requests: 100, per: 1s }]
                  - id: warm
                    match: { paths: [/warm/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: rate-limit
                        config:
                          policy: redis
                          namespace: warm
                          redis: { url: "${REDIS}", timeout: 200ms }
                          key: [header:X-Key]
                          limits: [{ requests: 100, per: 1s }]
                """.formatted(algorithm, algorithm);
        Map<String, String> env = Map.of("BACKEND", "http://127.0.0.1:" + backend.port(), "REDIS", redis.url());
        try (GatewayProcess first = GatewayProcess.start(yaml, env);
             GatewayProcess second = GatewayProcess.start(yaml, env)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // a node's first requests load classes, open Redis connections and load the script: done
            // on another namespace (same Redis connection, other counters), so the run measures the limiter
            warm(client, first);
            warm(client, second);
            return Run.of(client, List.of(first, second));
        }
    }

    private static void warm(HttpClient client, GatewayProcess node) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                int thread = t;
                threads.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        client.send(HttpRequest.newBuilder(node.uri("/warm/x")).header("X-Key", thread + "-" + i).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                });
            }
        }
    }

    private static void report(String name, Run run, double allowed) {
        System.out.printf("two nodes, %s: %d requests in %.3fs, admitted %d, refused %d, other %d;"
                        + " the limit allows %.1f: off by %.2f%%%n", name, REQUESTS, run.seconds(), run.admitted(),
                run.refused(), run.other(), allowed, 100 * (run.admitted() - allowed) / allowed);
        assertEquals(0, run.other(), "every answer is 200 or 429");
    }

    /** Sends the requests on a fixed schedule, alternating between the nodes, and counts. */
    record Run(int admitted, int refused, int other, long firstSentNanos, long lastSentNanos, long epochNanosAtStart,
               long nanoTimeAtStart) {

        static Run of(HttpClient client, List<GatewayProcess> nodes) throws Exception {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicLong first = new AtomicLong(Long.MAX_VALUE);
            AtomicLong last = new AtomicLong();
            long spacing = RUN.toNanos() / REQUESTS;
            long epochAtStart = java.time.Instant.now().toEpochMilli() * 1_000_000L;
            long start = System.nanoTime() + Duration.ofMillis(100).toNanos();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 64; t++) {
                    threads.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < REQUESTS) {
                            long due = start + i * spacing;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(Duration.ofNanos(wait));
                            }
                            long sent = System.nanoTime();
                            first.accumulateAndGet(sent, Math::min);
                            last.accumulateAndGet(sent, Math::max);
                            int status = client.send(HttpRequest.newBuilder(nodes.get(i % 2).uri("/api/x"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            (status == 200 ? admitted : status == 429 ? refused : other).incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            return new Run(admitted.get(), refused.get(), other.get(), first.get(), last.get(), epochAtStart,
                    start - Duration.ofMillis(100).toNanos());
        }

        double seconds() {
            return (lastSentNanos - firstSentNanos) / 1e9;
        }

        double firstSentSeconds() {
            return (epochNanosAtStart + (firstSentNanos - nanoTimeAtStart)) / 1e9;
        }

        double lastSentSeconds() {
            return (epochNanosAtStart + (lastSentNanos - nanoTimeAtStart)) / 1e9;
        }
    }
}
