package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketTest {
    static Server echo;
    static TestGateway gateway;

    /** Echoes text with a prefix, and binary as is; says which path and subprotocol it saw. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session opened) {
            this.session = opened;
            session.sendText("hello " + opened.getUpgradeRequest().getRequestURI().getPath(), Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText("echo:" + message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        echo = new Server();
        ServerConnector connector = new ServerConnector(echo);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        echo.addConnector(connector);
        echo.setHandler(WebSocketUpgradeHandler.from(echo, container -> container.addMapping("/*",
                (request, response, callback) -> {
                    if (request.getSubProtocols().contains("chat.v2")) {
                        response.setAcceptedSubProtocol("chat.v2");
                    }
                    return new Echo();
                })));
        echo.start();
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: live
                    match: { paths: [/live/**] }
                    url: http://127.0.0.1:${ECHO}
                    strip-prefix: /live
                """).env("ECHO", String.valueOf(connector.getLocalPort())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        echo.stop();
    }

    @Test
    void webSocket_isProxied_bothWays_withSubprotocol() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat.v2")
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/live/room/7"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        received.add("binary:" + data.remaining());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals("chat.v2", socket.getSubprotocol());
        assertEquals("hello /room/7", received.poll(5, TimeUnit.SECONDS));
        socket.sendText("ping 1", true).get(5, TimeUnit.SECONDS);
        assertEquals("echo:ping 1", received.poll(5, TimeUnit.SECONDS));
        socket.sendText("x".repeat(50_000), true).get(5, TimeUnit.SECONDS);
        StringBuilder large = new StringBuilder();
        while (large.length() < "echo:".length() + 50_000) {
            String part = received.poll(5, TimeUnit.SECONDS);
            if (part == null) {
                break;
            }
            large.append(part);
        }
        assertEquals(true, large.toString().equals("echo:" + "x".repeat(50_000)), "large message length " + large.length());
        socket.sendBinary(ByteBuffer.allocate(3000), true).get(5, TimeUnit.SECONDS);
        StringBuilder binary = new StringBuilder();
        int total = 0;
        while (total < 3000) {
            String part = received.poll(5, TimeUnit.SECONDS);
            if (part == null) {
                break;
            }
            binary.append(part);
            total += Integer.parseInt(part.substring("binary:".length()));
        }
        assertEquals(3000, total);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void upgradeTheUpstreamRefuses_passesItsStatusOn_andLeavesTheTargetIn() throws Exception {
        try (ScriptedUpstream refusing = new ScriptedUpstream(request -> (r, out) -> {
            ScriptedUpstream.write(out, request.target().equals("/plain")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    : "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            return false;
        }); TestGateway refusingGateway = UpstreamClientTest.gateway(refusing.url(),
                "passive: { consecutive-failures: 1, ejection: 1m }")) {
            for (int i = 0; i < 2; i++) {
                CompletableFuture<WebSocket> attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + refusingGateway.port() + "/socket"),
                                new WebSocket.Listener() { });
                ExecutionException failure = assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS));
                java.net.http.HttpResponse<?> answer = ((java.net.http.WebSocketHandshakeException) failure.getCause())
                        .getResponse();
                // the second time too: a refusal is an answer, not a failure of the target
                assertEquals(403, answer.statusCode(), "attempt " + i);
            }
            java.net.http.HttpResponse<String> plain = Backends.client().send(java.net.http.HttpRequest.newBuilder(
                    refusingGateway.uri("/plain")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode(), plain.body());
        }
    }

    @Test
    void upgradeTheUpstreamRefuses_passesItsHeadersOn_withTheGatewaysProblem() throws Exception {
        try (ScriptedUpstream refusing = new ScriptedUpstream(request -> (r, out) -> {
            ScriptedUpstream.write(out, request.target().equals("/expired")
                    ? "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"chat\"\r\nRetry-After: 5\r\n"
                            + "X-Request-Id: the-upstreams\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n"
                            + "Keep-Alive: timeout=5\r\n\r\nexpired"
                    : "HTTP/1.1 200 OK\r\nX-Plain: yes\r\nContent-Length: 2\r\n\r\nok");
            return false;
        }); TestGateway refusingGateway = UpstreamClientTest.gateway(refusing)) {
            String upgrade = " HTTP/1.1\r\nHost: chat.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

            String refused = RawHttp.exchange(refusingGateway.port(), "GET /expired" + upgrade);
            assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
            assertTrue(refused.contains("WWW-Authenticate: Bearer realm=\"chat\"\r\n"), refused);
            assertTrue(refused.contains("Retry-After: 5\r\n"), refused);
            // the body is the gateway's problem, so the upstream's description of its own body stays behind
            assertTrue(refused.contains("Content-Type: application/problem+json"), refused);
            assertFalse(refused.contains("text/plain"), refused);
            assertFalse(refused.contains("Keep-Alive"), refused);
            assertEquals(1, RawHttp.occurrences(refused, "X-Request-Id: "), refused);
            assertFalse(refused.contains("the-upstreams"), refused);
            assertTrue(refused.contains("\"UPGRADE_REFUSED\""), refused);

            // an upgrade answered as a plain request is the gateway's 502, and that answer's headers are not its
            String plain = RawHttp.exchange(refusingGateway.port(), "GET /plain" + upgrade);
            assertTrue(plain.startsWith("HTTP/1.1 502 "), plain);
            assertFalse(plain.contains("X-Plain"), plain);
        }
    }

    @Test
    void webSocket_toAMissingRoute_isRefused() {
        CompletableFuture<WebSocket> attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/elsewhere"), new WebSocket.Listener() { });
        ExecutionException failure = assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS));
        assertEquals(404, ((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }
}
