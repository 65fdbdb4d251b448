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
import java.time.Instant;
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
 * 2% of what the limit allows over the run. The run's length is known within the requests' latency
 * (the first decision fell between the first send and the first answer, the last one between the
 * last send and the last answer), so the bounds are widened by exactly that, never by a guess.
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
        // the bucket starts full (burst = 100), then refills at 100 per second while decisions are made;
        // when exactly they were made is known within the requests' latency: from the first send or
        // answer to the last send or answer
        double least = 100 + 100 * (run.lastSent() - run.firstAnswered());
        double most = 100 + 100 * (run.lastAnswered() - run.firstSent());
        assertWithin2Percent("gcra", run, least, most);
    }

    @Test
    void slidingWindow_twoNodesAdmitTheRateOverTheRun() throws Exception {
        Run run = runAgainstTwoNodes("sliding-window");
        // windows are whole seconds of Redis' clock (this machine's). The run starts somewhere in the
        // first one, which admits what came in it, up to 100; each whole window after admits 100 (the
        // previous one's weight fades as it fills); the last, partial one admits its share of 100
        double firstBoundary = Math.ceil(run.firstSent());
        double least = Math.min(100, run.decidedBefore(firstBoundary, false)) + 100 * (run.lastSent() - firstBoundary);
        double most = Math.min(100, run.decidedBefore(firstBoundary, true)) + 100 * (run.lastAnswered() - firstBoundary);
        assertWithin2Percent("sliding-window", run, least, most);
    }

    private static void assertWithin2Percent(String name, Run run, double least, double most) {
        double middle = (least + most) / 2;
        System.out.printf("two nodes, %s: %d requests in %.3fs, admitted %d, refused %d, other %d; the limit allows"
                        + " %.1f to %.1f (by when the first and last decisions fell); off the middle by %.2f%%%n", name,
                REQUESTS, run.lastSent() - run.firstSent(), run.admitted(), run.refused(), run.other(), least, most,
                100 * (run.admitted() - middle) / middle);
        assertEquals(0, run.other(), "every answer is 200 or 429");
        assertTrue(run.admitted() >= 0.98 * least && run.admitted() <= 1.02 * most,
                "admitted " + run.admitted() + ", the limit allows " + least + " to " + most);
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
            // as many threads as the run has, so the client holds as many open connections
            for (int t = 0; t < 64; t++) {
                int thread = t;
                threads.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        client.send(HttpRequest.newBuilder(node.uri("/warm/x")).header("X-Key", thread + "-" + i).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                });
            }
        }
    }

    /** Sends the requests on a fixed schedule, alternating between the nodes, and counts. Times in epoch seconds. */
    record Run(int admitted, int refused, int other, double firstSent, double lastSent, double firstAnswered,
               double lastAnswered, double[] sent, double[] answered) {

        /**
         * Requests decided before {@code moment}, at least (counted by their answers) or at most
         * (counted by their sends).
         */
        int decidedBefore(double moment, boolean atMost) {
            double[] times = atMost ? sent : answered;
            int count = 0;
            for (double time : times) {
                count += time < moment ? 1 : 0;
            }
            return count;
        }

        static Run of(HttpClient client, List<GatewayProcess> nodes) throws Exception {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicLong firstSent = new AtomicLong(Long.MAX_VALUE);
            AtomicLong lastSent = new AtomicLong();
            AtomicLong firstAnswered = new AtomicLong(Long.MAX_VALUE);
            AtomicLong lastAnswered = new AtomicLong();
            long spacing = RUN.toNanos() / REQUESTS;
            long[] sentAt = new long[REQUESTS];
            long[] answeredAt = new long[REQUESTS];
            Instant epoch = Instant.now();
            long origin = System.nanoTime();
            // start half way into a second of the clock: the sliding window's first window then surely
            // sees more than 100 requests, so the latency of the first ones cannot blur what it allows
            // (started 0.9 into a second, the first window's share is known only within 25 requests)
            long toHalf = Math.floorMod(500_000_000L - epoch.getNano(), 1_000_000_000L);
            long start = origin + (toHalf < 100_000_000L ? toHalf + 1_000_000_000L : toHalf);
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
                            sentAt[i] = sent;
                            firstSent.accumulateAndGet(sent, Math::min);
                            lastSent.accumulateAndGet(sent, Math::max);
                            int status = client.send(HttpRequest.newBuilder(nodes.get(i % 2).uri("/api/x"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            long answered = System.nanoTime();
                            answeredAt[i] = answered;
                            firstAnswered.accumulateAndGet(answered, Math::min);
                            lastAnswered.accumulateAndGet(answered, Math::max);
                            (status == 200 ? admitted : status == 429 ? refused : other).incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            double zero = epoch.getEpochSecond() + epoch.getNano() / 1e9;
            java.util.function.LongToDoubleFunction seconds = nanos -> zero + (nanos - origin) / 1e9;
            return new Run(admitted.get(), refused.get(), other.get(), seconds.applyAsDouble(firstSent.get()),
                    seconds.applyAsDouble(lastSent.get()), seconds.applyAsDouble(firstAnswered.get()),
                    seconds.applyAsDouble(lastAnswered.get()),
                    java.util.Arrays.stream(sentAt).mapToDouble(seconds).toArray(),
                    java.util.Arrays.stream(answeredAt).mapToDouble(seconds).toArray());
        }
    }
}
