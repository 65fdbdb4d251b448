package io.portico.core.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Active checks against two real WireMock servers on 127.0.0.1, checked every 50 ms. The timeout is
 * a generous 1 s so that a busy build machine does not fail the healthy server's checks.
 */
class ActiveHealthCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HealthCheckSpec CHECK =
            new HealthCheckSpec("/health", Duration.ofMillis(50), Duration.ofSeconds(1), 2, 3, 200, 399);

    private WireMockServer good;
    private WireMockServer bad;
    private HttpClient client;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() throws Exception {
        good = wiremock();
        bad = wiremock();
        answer(good, 200);
        answer(bad, 500);
        client = new HttpClient();
        client.start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-check-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        client.stop();
        good.stop();
        bad.stop();
    }

    @Test
    void activeCheck_unhealthyAfterThreshold_andBackWhenItAnswers200() throws Exception {
        Upstream up = pool(good.port(), bad.port());
        Target a = up.targets().get(0);
        Target b = up.targets().get(1);
        assertTrue(b.isAvailable(), "targets start healthy");

        try (AutoCloseable checks = up.startHealthChecks(client, scheduler)) {
            await("b unhealthy", () -> !b.isAvailable());
            assertTrue(checksOf(bad) >= CHECK.unhealthyThreshold(), "unhealthy only after the threshold");
            assertTrue(a.isAvailable());
            for (int i = 0; i < 10; i++) {
                assertSame(a, up.select(null, Set.of()));
            }

            answer(bad, 200);
            int before = checksOf(bad);
            await("b healthy again", b::isAvailable);
            assertTrue(checksOf(bad) - before >= CHECK.healthyThreshold() - 1, "healthy only after the threshold");
            assertTrue(a.isAvailable());
            assertEquals(Set.of(a, b), Set.of(up.select(null, Set.of()), up.select(null, Set.of())));
        }
    }

    @Test
    void activeCheck_timeoutAndRefusedConnection_countAsFailures() throws Exception {
        good.stubFor(WireMock.get("/health").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        Upstream up = pool(good.port(), freePort());

        try (AutoCloseable checks = up.startHealthChecks(client, scheduler)) {
            await("both unhealthy", () -> up.targets().stream().noneMatch(Target::isAvailable));
            assertEquals(null, up.select(null, Set.of()));
        }
    }

    @Test
    void close_stopsTheChecks() throws Exception {
        Upstream up = pool(good.port(), bad.port());
        AutoCloseable checks = up.startHealthChecks(client, scheduler);
        await("some checks ran", () -> checksOf(good) >= 2);
        checks.close();
        Thread.sleep(300); // let a check that was already in flight land
        int after = checksOf(good);
        Thread.sleep(300); // six intervals
        assertEquals(after, checksOf(good));
    }

    @Test
    void withoutAHealthCheckSpec_startIsANoOp() throws Exception {
        Upstream up = Upstream.create(UpstreamSpec.of("orders", List.of(
                TargetSpec.parse("http://127.0.0.1:" + bad.port(), 1))), Clock.systemUTC());
        try (AutoCloseable checks = up.startHealthChecks(client, scheduler)) {
            Thread.sleep(100);
            assertEquals(0, checksOf(bad));
            assertTrue(up.targets().get(0).isAvailable());
        }
    }

    @Test
    void thresholds_areCountedInARow() {
        Upstream up = pool(1, 2);
        Target t = up.targets().get(0);
        t.recordCheck(false, CHECK, "500");
        t.recordCheck(false, CHECK, "500");
        t.recordCheck(true, CHECK, "200");
        t.recordCheck(false, CHECK, "500");
        t.recordCheck(false, CHECK, "500");
        assertTrue(t.isHealthy(), "a good answer in between resets the count");
        t.recordCheck(false, CHECK, "500");
        assertFalse(t.isHealthy());
        t.recordCheck(true, CHECK, "200");
        t.recordCheck(false, CHECK, "500");
        t.recordCheck(true, CHECK, "200");
        assertFalse(t.isHealthy(), "a bad answer in between resets the count");
        t.recordCheck(true, CHECK, "200");
        assertTrue(t.isHealthy());
    }

    private static Upstream pool(int portA, int portB) {
        return Upstream.create(new UpstreamSpec("orders", List.of(
                TargetSpec.parse("http://127.0.0.1:" + portA, 1),
                TargetSpec.parse("http://127.0.0.1:" + portB, 1)),
                BalancerKind.ROUND_ROBIN, null, CHECK, null), Clock.systemUTC());
    }

    private static WireMockServer wiremock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }

    private static void answer(WireMockServer server, int status) {
        server.resetMappings();
        server.stubFor(WireMock.get("/health").willReturn(aResponse().withStatus(status)));
    }

    private static int checksOf(WireMockServer server) {
        return server.countRequestsMatching(getRequestedFor(urlEqualTo("/health")).build()).getCount();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT + " waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
