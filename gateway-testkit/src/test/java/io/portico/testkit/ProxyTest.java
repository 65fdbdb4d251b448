package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyTest {
    static WireMockServer backend;
    static TestGateway gateway;
    static int closedPort;
    final HttpClient client = Backends.client();

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = TestGateway.builder().yaml("""
                upstreams:
                  slow:
                    targets: [{ url: "${BACKEND}" }]
                    read-timeout: 300ms
                    retries: 0
                  nowhere:
                    targets: [{ url: "http://127.0.0.1:${CLOSED}" }]
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    strip-prefix: /api
                  - id: host-kept
                    match: { paths: [/kept/**] }
                    url: ${BACKEND}
                    preserve-host: true
                  - id: slow
                    match: { paths: [/slow/**] }
                    upstream: slow
                  - id: refused
                    match: { paths: [/refused/**] }
                    upstream: nowhere
                  - id: reads
                    match: { paths: [/reads/**], methods: [GET, HEAD] }
                    url: ${BACKEND}
                """).env("BACKEND", Backends.url(backend)).env("CLOSED", String.valueOf(closedPort)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @BeforeEach
    void reset() {
        backend.resetAll();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody("hello from upstream")));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void get_isForwarded_withPrefixStripped_andBodyReturned() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/api/orders/42?expand=items&x=%20y")));
        assertEquals(200, answer.statusCode());
        assertEquals("hello from upstream", answer.body());
        backend.verify(getRequestedFor(urlEqualTo("/orders/42?expand=items&x=%20y")));
    }

    @Test
    void forwardingHeaders_areAdded_andForgedOnesReplaced() throws Exception {
        send(HttpRequest.newBuilder(gateway.uri("/api/x")).header("X-Forwarded-For", "6.6.6.6")
                .header("Forwarded", "for=6.6.6.6").header("X-Forwarded-Host", "evil.example"));
        LoggedRequest seen = backend.findAll(getRequestedFor(urlEqualTo("/x"))).get(0);
        assertEquals("127.0.0.1", seen.getHeader("X-Forwarded-For"));
        assertEquals("http", seen.getHeader("X-Forwarded-Proto"));
        assertEquals("127.0.0.1:" + gateway.port(), seen.getHeader("X-Forwarded-Host"));
        assertEquals("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + gateway.port() + "\"", seen.getHeader("Forwarded"));
        assertEquals("1.1 portico", seen.getHeader("Via"));
        assertNotNull(seen.getHeader("X-Request-Id"));
    }

    @Test
    void requestId_isKeptFromClient_andEchoed() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/api/x")).header("X-Request-Id", "abc-123"));
        assertEquals("abc-123", answer.headers().firstValue("X-Request-Id").orElseThrow());
        backend.verify(getRequestedFor(urlEqualTo("/x")).withHeader("X-Request-Id", equalTo("abc-123")));
    }

    @Test
    void requestId_isGenerated_whenClientSendsAnInvalidOne() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/api/x")).header("X-Request-Id", "a b\"c"));
        String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
    }

    @Test
    void hostHeader_isTheTargets_unlessPreserveHost() throws Exception {
        send(HttpRequest.newBuilder(gateway.uri("/api/h")));
        backend.verify(getRequestedFor(urlEqualTo("/h")).withHeader("Host", equalTo("127.0.0.1:" + backend.port())));
        send(HttpRequest.newBuilder(gateway.uri("/kept/h")));
        backend.verify(getRequestedFor(urlEqualTo("/kept/h")).withHeader("Host", equalTo("127.0.0.1:" + gateway.port())));
    }

    @Test
    void postBody_isForwarded_withItsLength() throws Exception {
        String body = "{\"item\":\"x\"}".repeat(1000);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/api/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
        assertEquals(200, answer.statusCode());
        backend.verify(postRequestedFor(urlEqualTo("/orders")).withRequestBody(equalTo(body))
                .withHeader("Content-Length", equalTo(String.valueOf(body.length())))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void upstreamResponseHeaders_passBack_withoutHopByHop() throws Exception {
        backend.stubFor(get(urlEqualTo("/h")).willReturn(aResponse().withStatus(201).withHeader("X-Upstream", "yes")
                .withHeader("Connection", "X-Private").withHeader("X-Private", "secret").withBody("made")));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/api/h")));
        assertEquals(201, answer.statusCode());
        assertEquals("yes", answer.headers().firstValue("X-Upstream").orElseThrow());
        assertTrue(answer.headers().firstValue("X-Private").isEmpty());
        assertEquals(List.of("1.1 portico"), answer.headers().allValues("Via"));
        assertEquals(1, answer.headers().allValues("Date").size());
    }

    @Test
    void upstreamChallenges_passBack_asTheUpstreamSentThem_whateverTheirSize() throws Exception {
        // an HTTP client answers 401 and 407 itself when it knows credentials; a gateway must not
        String big = "{\"error\":\"" + "x".repeat(64 * 1024) + "\"}";
        backend.stubFor(get(urlEqualTo("/denied")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"orders\"").withBody(big)));
        backend.stubFor(get(urlEqualTo("/proxy-denied")).willReturn(aResponse().withStatus(407)
                .withHeader("Proxy-Authenticate", "Basic realm=\"corp\"").withBody("who are you")));
        backend.stubFor(get(urlEqualTo("/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/elsewhere").withBody("see elsewhere")));

        HttpResponse<String> denied = send(HttpRequest.newBuilder(gateway.uri("/api/denied")));
        assertEquals(401, denied.statusCode());
        assertEquals("Basic realm=\"orders\"", denied.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(big, denied.body());

        HttpResponse<String> proxyDenied = send(HttpRequest.newBuilder(gateway.uri("/api/proxy-denied")));
        assertEquals(407, proxyDenied.statusCode());
        assertEquals("who are you", proxyDenied.body());

        HttpResponse<String> moved = send(HttpRequest.newBuilder(gateway.uri("/api/moved")));
        assertEquals(302, moved.statusCode());
        assertEquals("/elsewhere", moved.headers().firstValue("Location").orElseThrow());
        assertEquals("see elsewhere", moved.body());
        backend.verify(0, getRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void noRoute_is404Problem_withRequestId() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/nowhere")));
        assertEquals(404, answer.statusCode());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElseThrow());
        String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(answer.body().contains("\"status\":404"), answer.body());
        assertTrue(answer.body().contains("\"request_id\":\"" + id + "\""), answer.body());
        assertTrue(answer.body().contains("\"code\":\"NO_ROUTE\""), answer.body());
    }

    @Test
    void wrongMethod_is405_withAllow() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/reads/x")).DELETE());
        assertEquals(405, answer.statusCode());
        assertEquals("GET, HEAD", answer.headers().firstValue("Allow").orElseThrow());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusedConnection_is502Problem() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/refused/x")));
        assertEquals(502, answer.statusCode());
        assertTrue(answer.body().contains("UPSTREAM_UNREACHABLE"), answer.body());
    }

    @Test
    void silentUpstream_is504Problem() throws Exception {
        backend.stubFor(get(urlEqualTo("/slow/x")).willReturn(aResponse().withFixedDelay(2000).withBody("late")));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.uri("/slow/x")));
        assertEquals(504, answer.statusCode());
        assertTrue(answer.body().contains("UPSTREAM_TIMEOUT"), answer.body());
    }

    @Test
    void hopByHopRequestHeaders_andTheOnesConnectionNames_areNotForwarded() throws Exception {
        // java.net.http refuses to send Connection itself, so name the field via a raw request
        String answer = RawHttp.exchange(gateway.port(), "GET /api/hop HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Hop\r\n"
                + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nX-End: kept\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        LoggedRequest seen = backend.findAll(getRequestedFor(urlEqualTo("/hop"))).get(0);
        assertNull(seen.getHeader("X-Hop"));
        assertNull(seen.getHeader("Keep-Alive"));
        assertEquals("kept", seen.getHeader("X-End"));
        backend.verify(getRequestedFor(urlEqualTo("/hop")).withHeader("X-Hop", absent())
                .withHeader("Via", matching("1\\.1 portico")));
    }
}
