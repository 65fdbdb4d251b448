package io.portico.testkit;

import static io.portico.testkit.ScriptedUpstream.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping drains: a request in flight finishes, while a new request on a connection kept from
 * before gets a 503 problem that closes the connection, and new connections are refused.
 */
class DrainTest {
    final HttpClient client = Backends.client();

    @Test
    void whileDraining_theRequestInFlightFinishes_andANewOneOnAKeptConnectionGets503() throws Exception {
        CountDownLatch slowArrived = new CountDownLatch(1);
        try (ScriptedUpstream upstream = new ScriptedUpstream(request -> (received, out) -> {
            if (received.target().equals("/slow")) {
                slowArrived.countDown();
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
            return true;
        })) {
            TestGateway gateway = TestGateway.builder().yaml("""
                    server:
                      drain-timeout: 10s
                    routes:
                      - id: all
                        url: ${UPSTREAM}
                    """).env("UPSTREAM", upstream.url()).start();
            int port = gateway.port();
            Thread stopping = null;
            try (Socket kept = RawHttp.connect(port)) {
                RawHttp.send(kept, "GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
                String first = RawHttp.answer(kept);
                assertTrue(first.startsWith("HTTP/1.1 200 "), first);

                CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                        HttpRequest.newBuilder(gateway.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(slowArrived.await(5, TimeUnit.SECONDS), "the slow request reached the upstream");
                stopping = Thread.ofVirtual().start(() -> {
                    try {
                        gateway.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitRefused(port);

                RawHttp.send(kept, "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
                String second = RawHttp.answer(kept);
                assertTrue(second.startsWith("HTTP/1.1 503 "), second);
                String head = second.substring(0, second.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
                assertTrue(head.contains("\r\ncontent-type: application/problem+json"), second);
                assertTrue(head.contains("\r\nconnection: close"), second);
                assertTrue(second.contains("\"code\":\"UNAVAILABLE\""), second);
                int idAt = head.indexOf("\r\nx-request-id: ") + 16;
                assertTrue(idAt > 16, second);
                String id = head.substring(idAt, head.indexOf("\r\n", idAt) < 0 ? head.length() : head.indexOf("\r\n", idAt));
                assertTrue(second.contains("\"request_id\":\"" + id + "\""), second);
                assertEquals(-1, kept.getInputStream().read(), "the connection closes after the 503");

                HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
                assertEquals(200, finished.statusCode());
                assertEquals("done", finished.body());
            } finally {
                if (stopping == null) {
                    gateway.close();
                } else {
                    stopping.join(TimeUnit.SECONDS.toMillis(15));
                }
            }
            assertEquals(2, upstream.received().size(), "the second request never reached the upstream");
        }
    }

    /** Waits until the gateway no longer takes connections: the drain has begun. */
    private static void awaitRefused(int port) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the gateway still took connections 5 s after it began to stop");
    }
}
