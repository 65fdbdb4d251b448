package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigProblem;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} targets: trust from the upstream's {@code tls.ca}, the name checked and sent in
 * SNI, a client certificate for upstreams that require one, kept connections that idle out as
 * {@code keep-alive-timeout} says, and the same TLS for health checks and WebSockets. The upstream
 * is a Jetty server with three TLS ports, each certificate made by keytool.
 */
class UpstreamTlsTest {
    @TempDir
    static Path home;
    static Server backend;
    /** Certificate for localhost and 127.0.0.1. */
    static ServerConnector plain;
    /** Certificate for backend.internal only. */
    static ServerConnector named;
    /** Certificate for localhost; requires the client certificate client.pem. */
    static ServerConnector mutual;
    /** Certificate for billing.internal; requires client.pem: the configuration page's example. */
    static ServerConnector billing;
    static final AtomicInteger healthChecks = new AtomicInteger();
    /** One client for every request, so that requests in a row come quickly (see the keep-alive test). */
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path local = TestCertificates.keyPair(home, "local", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        Path internal = TestCertificates.keyPair(home, "internal", "CN=backend.internal", "SAN=dns:backend.internal");
        Path client = TestCertificates.keyPair(home, "client", "CN=portico-gateway", null);
        Path billingKeys = TestCertificates.keyPair(home, "billing", "CN=billing.internal", "SAN=dns:billing.internal");
        backend = new Server();
        plain = tlsConnector(local, null);
        named = tlsConnector(internal, null);
        mutual = tlsConnector(local, client);
        billing = tlsConnector(billingKeys, client);
        WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(backend, container ->
                container.addMapping("/ws/*", (request, response, callback) -> new WebSocketTest.Echo()));
        webSockets.setHandler(new Describe());
        backend.setHandler(webSockets);
        backend.start();
    }

    @AfterAll
    static void stop() throws Exception {
        backend.stop();
    }

    @Test
    void caOfTheUpstream_isTrusted_connectionIsKept_andIdlesOutAsConfigured() throws Exception {
        try (TestGateway gateway = gateway("""
                upstreams:
                  secure:
                    targets: [{ url: "https://localhost:%d" }]
                    keep-alive-timeout: 1s
                    tls: { ca: local.pem }
                routes: [{ id: all, upstream: secure }]
                """.formatted(plain.getLocalPort()))) {
            Set<String> ports = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = get(gateway, "/orders/" + i);
                assertEquals(200, answer.statusCode(), answer.body());
                // no SNI: the JDK sends none for a name without a dot
                assertTrue(answer.body().startsWith("path=/orders/" + i + " sni=- client=- "), answer.body());
                ports.add(answer.body().substring(answer.body().indexOf("port=")));
            }
            assertEquals(1, ports.size(), "three requests in a row share one kept TLS connection: " + ports);
            // the backend keeps connections for 60 s: only the gateway's keep-alive-timeout closes it
            assertTrue(TestFiles.eventually(() -> plain.getConnectedEndPoints().isEmpty()),
                    "the gateway closed its idle TLS connection after keep-alive-timeout");
        }
    }

    @Test
    void withoutCa_theJvmTrustStoreRefusesTheUpstream_with502Problem() throws Exception {
        try (TestGateway gateway = gateway("routes: [{ id: all, url: \"https://localhost:%d\" }]"
                .formatted(plain.getLocalPort()))) {
            HttpResponse<String> answer = get(gateway, "/orders");
            assertEquals(502, answer.statusCode());
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
            assertTrue(answer.body().contains("\"UPSTREAM_TLS_FAILED\""), answer.body());
            assertTrue(answer.body().contains(answer.headers().firstValue("X-Request-Id").orElseThrow()), answer.body());
        }
    }

    @Test
    void serverName_isSentInSni_andCheckedInPlaceOfTheAddress() throws Exception {
        String upstream = """
                upstreams:
                  internal:
                    targets: [{ url: "https://127.0.0.1:%d" }]
                    tls: { ca: internal.pem%s }
                routes: [{ id: all, upstream: internal }]
                """;
        try (TestGateway gateway = gateway(upstream.formatted(named.getLocalPort(), ""))) {
            // the certificate names backend.internal, not 127.0.0.1
            HttpResponse<String> answer = get(gateway, "/a");
            assertEquals(502, answer.statusCode());
            assertTrue(answer.body().contains("\"UPSTREAM_TLS_FAILED\""), answer.body());
        }
        try (TestGateway gateway = gateway(upstream.formatted(named.getLocalPort(), ", server-name: backend.internal"))) {
            HttpResponse<String> answer = get(gateway, "/a");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith("path=/a sni=backend.internal "), answer.body());
        }
    }

    @Test
    void verifyFalse_acceptsACertificateNobodyTrusts() throws Exception {
        try (TestGateway gateway = gateway("""
                upstreams:
                  lab:
                    targets: [{ url: "https://127.0.0.1:%d" }]
                    tls: { verify: false }
                routes: [{ id: all, upstream: lab }]
                """.formatted(named.getLocalPort()))) {
            HttpResponse<String> answer = get(gateway, "/b");
            assertEquals(200, answer.statusCode(), answer.body());
        }
    }

    @Test
    void clientCertificate_isPresentedToAnUpstreamThatRequiresOne() throws Exception {
        String upstream = """
                upstreams:
                  mutual:
                    targets: [{ url: "https://localhost:%d" }]
                    tls: { ca: local.pem%s }
                routes: [{ id: all, upstream: mutual }]
                """;
        try (TestGateway gateway = gateway(upstream.formatted(mutual.getLocalPort(), ""))) {
            HttpResponse<String> answer = get(gateway, "/c");
            assertEquals(502, answer.statusCode(), answer.body());
        }
        try (TestGateway gateway = gateway(upstream.formatted(mutual.getLocalPort(),
                ", certificate: client.pem, key: client.key"))) {
            HttpResponse<String> answer = get(gateway, "/c");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains(" client=CN=portico-gateway "), answer.body());
        }
    }

    @Test
    void healthChecks_speakTheUpstreamsTls() throws Exception {
        int before = healthChecks.get();
        try (TestGateway gateway = gateway("""
                upstreams:
                  checked:
                    targets: [{ url: "https://localhost:%d" }]
                    tls: { ca: local.pem }
                    health-check: { path: /health, interval: 100ms, healthy-threshold: 1, unhealthy-threshold: 1 }
                routes: [{ id: all, upstream: checked }]
                """.formatted(plain.getLocalPort()))) {
            assertTrue(TestFiles.eventually(() -> healthChecks.get() >= before + 3), "the checks reached the upstream");
            // one failed check would have taken the only target out (503)
            HttpResponse<String> answer = get(gateway, "/d");
            assertEquals(200, answer.statusCode(), answer.body());
        }
    }

    @Test
    void webSocket_toAnHttpsTarget_speaksTheUpstreamsTls() throws Exception {
        try (TestGateway gateway = gateway("""
                upstreams:
                  live:
                    targets: [{ url: "https://localhost:%d" }]
                    tls: { ca: local.pem }
                routes: [{ id: all, upstream: live }]
                """.formatted(plain.getLocalPort()))) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/room"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertEquals("hello /ws/room", received.poll(5, TimeUnit.SECONDS));
            socket.sendText("over tls", true).get(5, TimeUnit.SECONDS);
            assertEquals("echo:over tls", received.poll(5, TimeUnit.SECONDS));
            socket.abort();
        }
    }

    @Test
    void exampleOfTheConfigurationPage_trustsNamesAndPresentsItself() throws Exception {
        String example = DocExamples.configurations(Path.of("..", "docs", "configuration.md")).stream()
                .filter(block -> block.contains("server-name:")).findFirst().orElseThrow();
        Path tls = Files.createDirectories(home.resolve("conf").resolve("tls"));
        Files.copy(home.resolve("billing.pem"), tls.resolve("internal-ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(home.resolve("client.pem"), tls.resolve("portico-client.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(home.resolve("client.key"), tls.resolve("portico-client.key"), StandardCopyOption.REPLACE_EXISTING);
        // both targets are the one test upstream, by two addresses
        try (TestGateway gateway = gateway(example
                .replace("https://10.0.4.21:8443", "https://127.0.0.1:" + billing.getLocalPort())
                .replace("https://10.0.4.22:8443", "https://localhost:" + billing.getLocalPort()))) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answer = get(gateway, "/billing/invoices");
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(answer.body().startsWith("path=/billing/invoices sni=billing.internal client=CN=portico-gateway "),
                        answer.body());
            }
        }
    }

    @Test
    void badTlsSettings_areRefused_withTheirPathAndLine() {
        ConfigException refused = assertThrows(ConfigException.class, () -> gateway("""
                upstreams:
                  clear:
                    targets: [{ url: "http://127.0.0.1:9" }]
                    tls: { ca: local.pem }
                  missing:
                    targets: [{ url: "https://127.0.0.1:9" }]
                    tls:
                      ca: nowhere.pem
                routes: [{ id: all, upstream: clear }]
                """).close());
        assertEquals(2, refused.problems().size(), refused.problems().toString());
        assertProblem(refused.problems(), "upstreams.clear.tls", 4, "applies to https:// targets");
        assertProblem(refused.problems(), "upstreams.missing.tls.ca", 8, "nowhere.pem");

        ConfigException half = assertThrows(ConfigException.class, () -> gateway("""
                upstreams:
                  half:
                    targets: [{ url: "https://127.0.0.1:9" }]
                    tls:
                      key: client.key
                routes: [{ id: all, upstream: half }]
                """).close());
        assertEquals(1, half.problems().size(), half.problems().toString());
        assertProblem(half.problems(), "upstreams.half.tls.certificate", 5, "is needed with key");
    }

    private static void assertProblem(List<ConfigProblem> problems, String path, int line, String words) {
        ConfigProblem problem = problems.stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + ": " + problems));
        assertEquals(line, problem.line(), problem.toString());
        assertTrue(problem.message().contains(words), problem.toString());
    }

    @Test
    void caFileReplaced_isReadForNewConnections_andTheOldPoolsConnectionsClose() throws Exception {
        Path folder = Files.createDirectories(home.resolve("rotation"));
        Path ca = folder.resolve("ca.pem");
        // to begin with, not the certificate the target shows
        TestFiles.replace(ca, Files.readString(home.resolve("internal.pem")));
        Path file = folder.resolve("portico.yaml");
        Files.writeString(file, """
                upstreams:
                  rotated:
                    targets: [{ url: "https://localhost:%d" }]
                    tls: { ca: rotation/ca.pem }
                routes: [{ id: all, upstream: rotated }]
                """.formatted(plain.getLocalPort()));
        try (TestGateway gateway = gateway(Files.readString(file)); TestGateway.Watching watching = gateway.watch(file)) {
            HttpResponse<String> refused = get(gateway, "/rotated");
            assertEquals(502, refused.statusCode(), refused.body());
            TestFiles.replace(ca, Files.readString(home.resolve("local.pem")));
            assertTrue(TestFiles.eventually(() -> watching.applied() == 1),
                    "the new CA file was read, and portico.yaml was not touched");
            HttpResponse<String> trusted = get(gateway, "/rotated");
            assertEquals(200, trusted.statusCode(), trusted.body());
            int first = remotePort(trusted);
            assertTrue(connectedFrom(first), "the connection is kept");

            // a bundle of both CAs: other TLS settings, so a new pool, and the old pool's kept connection closes
            TestFiles.replace(ca, Files.readString(home.resolve("local.pem"))
                    + Files.readString(home.resolve("internal.pem")));
            assertTrue(TestFiles.eventually(() -> watching.applied() == 2), "the bundle was read");
            HttpResponse<String> again = get(gateway, "/rotated");
            assertEquals(200, again.statusCode(), again.body());
            int second = remotePort(again);
            assertTrue(first != second, "a connection made with the new settings");
            assertTrue(TestFiles.eventually(() -> !connectedFrom(first)),
                    "the connection of the old settings was closed, not left to idle for 60 s");
            assertTrue(connectedFrom(second), "the new one is kept");
        }
    }

    /** The gateway's port of the connection that carried the request, as the backend saw it. */
    private static int remotePort(HttpResponse<String> answer) {
        return Integer.parseInt(answer.body().substring(answer.body().indexOf("port=") + 5).trim());
    }

    private static boolean connectedFrom(int port) {
        return plain.getConnectedEndPoints().stream()
                .anyMatch(endPoint -> ((InetSocketAddress) endPoint.getRemoteSocketAddress()).getPort() == port);
    }


    private static int status(TestGateway gateway, String path) {
        try {
            return get(gateway, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static TestGateway gateway(String yaml) throws Exception {
        return TestGateway.builder().home(home).yaml(yaml).start();
    }

    private static HttpResponse<String> get(TestGateway gateway, String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }


    /** A TLS port serving {@code store}'s key; with {@code clients}, one that requires a client certificate from it. */
    private static ServerConnector tlsConnector(Path store, Path clients) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(store.toString());
        tls.setKeyStorePassword("secret");
        tls.setKeyStoreType("PKCS12");
        if (clients != null) {
            tls.setTrustStorePath(clients.toString());
            tls.setTrustStorePassword("secret");
            tls.setTrustStoreType("PKCS12");
            tls.setNeedClientAuth(true);
        }
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(backend, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(60_000);
        backend.addConnector(connector);
        return connector;
    }

    /** Answers with what the TLS connection showed: the path, SNI name, client certificate and client port. */
    static final class Describe extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.equals("/health")) {
                healthChecks.incrementAndGet();
            }
            EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
            String sni = ((ExtendedSSLSession) tls.sslSession()).getRequestedServerNames().stream()
                    .map(name -> ((SNIHostName) name).getAsciiName()).findFirst().orElse("-");
            X509Certificate[] peer = tls.peerCertificates();
            String client = peer == null || peer.length == 0 ? "-" : peer[0].getSubjectX500Principal().getName();
            Content.Sink.write(response, true, "path=" + path + " sni=" + sni + " client=" + client
                    + " port=" + Request.getRemotePort(request), callback);
            return true;
        }
    }
}
