package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.Phase;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many keep-alive connections at once, some sending their next requests before the last is
 * answered, half of them through a blocking filter (whose upstream call is made from a virtual
 * thread, so sockets are registered for reading from threads other than the selector's while it
 * selects): every request is answered. A lost wake-up shows as a connection that falls silent.
 */
class ReadInterestStressTest {
    private static final int CONNECTIONS = 24;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
    static WireMockServer backend;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("fast-body")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: blocking
                    match: { paths: [/blocking/**] }
                    url: ${BACKEND}
                    plugins: [{ name: trail, config: { mark: a } }]
                  - id: plain
                    match: { paths: [/plain/**] }
                    url: ${BACKEND}
                """).env("BACKEND", Backends.url(backend))
                .filters(TestFilters.trail("trail", Phase.TRANSFORM))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @Test
    void everyRequestOnManyBusyConnections_isAnswered() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int client = i;
                runs.add(clients.submit(() -> run(client, answered)));
            }
            List<String> lost = new ArrayList<>();
            for (Future<String> run : runs) {
                String failure = run.get(60, TimeUnit.SECONDS);
                if (failure != null) {
                    lost.add(failure);
                }
            }
            assertEquals(List.of(), lost, "connections that fell silent");
            assertTrue(answered.get() > CONNECTIONS * 10, "only " + answered.get() + " requests were answered");
        } finally {
            clients.shutdownNow();
        }
    }

    /** One client: batches of one to three requests sent at once, each batch read to its end. Null when all were answered. */
    private static String run(int client, AtomicInteger answered) throws IOException {
        long end = System.nanoTime() + RUN_NANOS;
        int batch = 0;
        while (System.nanoTime() < end) {
            try (Socket socket = RawHttp.connect(gateway.port())) {
                for (int i = 0; i < 20 && System.nanoTime() < end; i++, batch++) {
                    int requests = 1 + (client + batch) % 3;
                    StringBuilder sent = new StringBuilder();
                    for (int r = 0; r < requests; r++) {
                        String route = (client + batch + r) % 2 == 0 ? "blocking" : "plain";
                        sent.append("GET /").append(route).append("/x HTTP/1.1\r\nHost: a\r\n\r\n");
                    }
                    RawHttp.send(socket, sent.toString());
                    int got = RawHttp.occurrences(RawHttp.readUntil(socket, "fast-body", requests), "fast-body");
                    if (got < requests) {
                        return "client " + client + ", batch " + batch + ": " + got + " of " + requests + " answers";
                    }
                    answered.addAndGet(requests);
                }
            }
        }
        return null;
    }
}
