package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its connection while its request is handled is noticed then, not when its
 * answer is written: the upstream's connection is closed (so the upstream can stop), the target is
 * not blamed, and the access log says 499, as nginx's does. A client that sends more meanwhile (a
 * pipelined request, even one byte of it) is served in order.
 */
class ClientGoneTest {
    final HttpClient client = Backends.client();

    @Test
    void aClientThatCloses_beforeItsAnswer_abandonsTheUpstreamCall_andIsLogged499() throws Exception {
        Path accessLog = Files.createTempFile("portico-client-gone", ".log");
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestGateway gateway = TestGateway.builder().yaml("""
                     server:
                       access-log: { path: "${ACCESS_LOG}" }
                     upstreams:
                       silent:
                         targets: [{ url: "http://127.0.0.1:${PORT}" }]
                         read-timeout: 10s
                         passive: { consecutive-failures: 1, ejection: 1m }
                     routes:
                       - id: all
                         upstream: silent
                     """).env("PORT", Integer.toString(upstream.getLocalPort()))
                     .env("ACCESS_LOG", accessLog.toString()).start()) {
            Thread.ofVirtual().start(() -> serve(upstream, upstreamSawClose));
            try (Socket socket = RawHttp.connect(gateway.port())) {
                RawHttp.send(socket, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(300);
            }
            // the upstream would take 10 s to answer; its connection closes about when the client's did
            assertTrue(upstreamSawClose.await(5, TimeUnit.SECONDS), "the gateway closed the upstream's connection");

            List<String> lines = AccessLogLines.containing(accessLog, "\"path\":\"/slow\"");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("\"status\":499,"), lines.get(0));
            assertTrue(lines.get(0).contains("\"bytes_out\":0,"), lines.get(0));

            // one failure would have ejected the target: the client's leaving is not one
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(gateway.uri("/fast")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), after.body());
            assertEquals("fast", after.body());
        } finally {
            Files.deleteIfExists(accessLog);
        }
    }

    @Test
    void whatAClientSendsWhileItsRequestIsHandled_isServedInOrder_evenOneByte() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestGateway gateway = TestGateway.builder().yaml("""
                     routes:
                       - id: all
                         url: http://127.0.0.1:${PORT}
                     """).env("PORT", Integer.toString(upstream.getLocalPort())).start()) {
            Thread.ofVirtual().start(() -> serve(upstream, new CountDownLatch(1)));
            try (Socket socket = RawHttp.connect(gateway.port())) {
                // the second request arrives while the first waits for its answer: read ahead by a byte
                RawHttp.send(socket, "GET /wait HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(100);
                RawHttp.send(socket, "GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
                String both = RawHttp.readUntil(socket, "\r\n\r\none");
                assertEquals(2, RawHttp.occurrences(both, "HTTP/1.1 200 "), both);
                assertTrue(both.indexOf("\r\n\r\nwait") < both.indexOf("\r\n\r\none"), both);

                // one byte of the next request while this one waits, the rest once its answer came
                RawHttp.send(socket, "GET /wait HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(100);
                RawHttp.send(socket, "G");
                String first = RawHttp.answer(socket);
                assertTrue(first.startsWith("HTTP/1.1 200 ") && first.endsWith("wait"), first);
                RawHttp.send(socket, "ET /two HTTP/1.1\r\nHost: a\r\n\r\n");
                String second = RawHttp.answer(socket);
                assertTrue(second.startsWith("HTTP/1.1 200 ") && second.endsWith("two"), second);
            }
        }
    }

    /**
     * An upstream that answers {@code /slow} only after 10 s, {@code /wait} after 400 ms, and
     * anything else at once, with the last path segment as the body; it counts down
     * {@code sawClose} when a connection closes while it waits to answer.
     */
    private static void serve(ServerSocket server, CountDownLatch sawClose) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (socket) {
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    for (String target; (target = readHead(in)) != null; ) {
                        long waitMillis = target.equals("/slow") ? 10_000 : target.equals("/wait") ? 400 : 0;
                        if (waitMillis > 0) {
                            socket.setSoTimeout((int) waitMillis);
                            try {
                                if (in.read() < 0) {
                                    sawClose.countDown();
                                    return;
                                }
                            } catch (java.net.SocketTimeoutException answerNow) {
                                // waited long enough
                            }
                            socket.setSoTimeout(0);
                        }
                        String body = target.substring(target.lastIndexOf('/') + 1);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    // the gateway closed the connection
                }
            });
        }
    }

    /** The request target of the next request head, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString().split(" ")[1];
            }
        }
        return null;
    }
}
