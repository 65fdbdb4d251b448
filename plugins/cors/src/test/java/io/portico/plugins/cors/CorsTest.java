package io.portico.plugins.cors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorsTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("X-Total", "3").withBody("[]")));
        backend.stubFor(any(urlPathEqualTo("/api/compressed")).willReturn(aResponse().withStatus(200)
                .withHeader("Vary", "Accept-Encoding").withHeader("Access-Control-Allow-Origin", "https://upstream.example")
                .withBody("[]")));
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: cors
                        config:
                          allowed-origins: [https://app.example.com, "https://*.example.org"]
                          allowed-methods: [GET, POST, DELETE]
                          allowed-headers: [Content-Type, Authorization, X-Api-Key]
                          exposed-headers: [X-Total, X-Request-Id]
                          allow-credentials: true
                          max-age: 1h
                  - id: public
                    match: { paths: [/public/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: cors
                        config: { allowed-origins: ["*"] }
                  - id: down
                    match: { paths: [/down/**] }
                    url: http://127.0.0.1:${CLOSED}
                    plugins:
                      - name: cors
                        config: { allowed-origins: [https://app.example.com] }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port()).env("CLOSED", Integer.toString(closed))
                .filters(new CorsFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetRequests();
    }

    /** An actual (not preflight) request from a page of {@code origin}. */
    HttpResponse<String> fromOrigin(String path, String origin) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).header("Origin", origin).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPreflightIsAnsweredByTheGateway() throws Exception {
        HttpResponse<String> response = preflight("/api/orders", "https://app.example.com", "DELETE", "content-type, x-api-key");
        assertEquals(204, response.statusCode());
        assertEquals("https://app.example.com", header(response, "Access-Control-Allow-Origin"));
        assertEquals("GET, POST, DELETE", header(response, "Access-Control-Allow-Methods"));
        assertEquals("content-type, x-api-key", header(response, "Access-Control-Allow-Headers"));
        assertEquals("true", header(response, "Access-Control-Allow-Credentials"));
        assertEquals("3600", header(response, "Access-Control-Max-Age"));
        assertTrue(header(response, "Vary").contains("Origin"));
        assertEquals(0, backend.findAll(anyRequestedFor(anyUrl())).size(), "the upstream never sees a preflight");
    }

    @Test
    void aWildcardSubdomainPatternMatchesSubdomainsOnly() throws Exception {
        assertEquals(204, preflight("/api/x", "https://shop.eu.example.org", "GET", null).statusCode());
        assertEquals(403, preflight("/api/x", "https://example.org", "GET", null).statusCode());
        assertEquals(403, preflight("/api/x", "https://evil-example.org", "GET", null).statusCode());
        assertEquals(403, preflight("/api/x", "https://example.org.evil.com", "GET", null).statusCode());
    }

    @Test
    void aPreflightForAnOriginMethodOrHeaderNotAllowedIsRefused() throws Exception {
        HttpResponse<String> origin = preflight("/api/x", "https://evil.com", "GET", null);
        assertEquals(403, origin.statusCode());
        assertTrue(origin.body().contains("CORS_PREFLIGHT_REFUSED"), origin.body());
        assertEquals(403, preflight("/api/x", "https://app.example.com", "PUT", null).statusCode());
        assertEquals(403, preflight("/api/x", "https://app.example.com", "GET", "X-Secret").statusCode());
        assertEquals(0, backend.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void anAllowedCrossOriginRequestGetsItsHeaders() throws Exception {
        HttpResponse<String> response = fromOrigin("/api/orders", "https://app.example.com");
        assertEquals(200, response.statusCode());
        assertEquals("https://app.example.com", header(response, "Access-Control-Allow-Origin"));
        assertEquals("true", header(response, "Access-Control-Allow-Credentials"));
        assertEquals("X-Total, X-Request-Id", header(response, "Access-Control-Expose-Headers"));
        assertEquals("Origin", header(response, "Vary"));
    }

    @Test
    void theUpstreamsVaryStaysAndItsOwnAllowOriginGivesWay() throws Exception {
        HttpResponse<String> response = fromOrigin("/api/compressed", "https://app.example.com");
        assertEquals(200, response.statusCode());
        assertEquals(java.util.List.of("https://app.example.com"), response.headers().allValues("Access-Control-Allow-Origin"));
        assertEquals(java.util.List.of("Accept-Encoding", "Origin"), response.headers().allValues("Vary"));
    }

    @Test
    void anAnswerTheGatewayMakesItselfCarriesTheCorsHeadersToo() throws Exception {
        // without them a browser hides the 502 from the page, which sees a network error instead
        HttpResponse<String> response = fromOrigin("/down/orders", "https://app.example.com");
        assertEquals(502, response.statusCode());
        assertEquals("application/problem+json", header(response, "Content-Type"));
        assertEquals("https://app.example.com", header(response, "Access-Control-Allow-Origin"));
        assertEquals("Origin", header(response, "Vary"));
    }

    @Test
    void aRequestFromAnotherOriginPassesWithoutCorsHeaders() throws Exception {
        HttpResponse<String> response = fromOrigin("/api/orders", "https://evil.com");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void anyOriginWithoutCredentialsAnswersStar() throws Exception {
        HttpResponse<String> response = fromOrigin("/public/x", "https://anyone.net");
        assertEquals("*", header(response, "Access-Control-Allow-Origin"));
    }

    @Test
    void credentialsWithAnyOriginAreRefusedAtLoad() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: cors
                        config: { allowed-origins: ["*"], allow-credentials: true }
                """).filters(new CorsFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0].config.allow-credentials"), error.getMessage());
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method);
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
