package io.portico.plugins.jsontransform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fields of JSON bodies removed, renamed and added by path, both ways, and what is left alone. */
class JsonTransformTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static WireMockServer backend;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: orders
                    match: { paths: ["/tenants/{tenant}/orders"] }
                    url: ${BACKEND}
                    plugins:
                      - name: json-transform
                        config:
                          max-body: 4KB
                          request:
                            remove: [password, meta.internal, "items[].cost"]
                            rename: { userName: user.name, "items[].sku": "items[].productId" }
                            add: { source: portico, tenant: "{path.tenant}", meta.requestId: "{request.id}", user.name: nobody }
                            set: { channel: "{header.X-Channel}" }
                          response:
                            remove: [internalNotes]
                            rename: { id: orderId, "lines[].qty": "lines[].quantity" }
                            add: { servedBy: "portico" }
                  - id: list
                    match: { paths: [/list] }
                    url: ${BACKEND}
                    plugins:
                      - name: json-transform
                        config:
                          response:
                            remove: ["[].secret"]
                            add: { "[].source": catalog }
                """).env("BACKEND", backend.baseUrl()).filters(new JsonTransformFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetAll();
        backend.stubFor(post(urlEqualTo("/tenants/acme/orders")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"id\": 7, \"internalNotes\": \"vip\", \"lines\": [{\"qty\": 2}, {\"qty\": 1}]}")));
    }

    private static HttpResponse<String> send(String path, String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type", contentType)
                .header("X-Channel", "web").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRequestBody_isChangedInOrder_andTheUpstreamGetsTheRightLength() throws Exception {
        HttpResponse<String> response = send("/tenants/acme/orders", "application/json", """
                {"userName": "ada", "password": "hunter2", "meta": {"internal": true, "keep": 1},
                 "items": [{"sku": "A", "cost": 3}, {"sku": "B", "cost": 4}], "channel": "old"}
                """);

        assertEquals(200, response.statusCode(), response.body());
        LoggedRequest received = backend.findAll(postRequestedFor(urlEqualTo("/tenants/acme/orders"))).getFirst();
        JsonNode sent = JSON.readTree(received.getBodyAsString());
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(JSON.readTree("""
                {"meta": {"keep": 1, "requestId": "%s"}, "items": [{"productId": "A"}, {"productId": "B"}],
                 "channel": "web", "user": {"name": "ada"}, "source": "portico", "tenant": "acme"}
                """.formatted(requestId)), sent);
        assertEquals(String.valueOf(received.getBodyAsString().getBytes(StandardCharsets.UTF_8).length),
                received.getHeader("Content-Length"));
    }

    @Test
    void theResponseBody_isChanged() throws Exception {
        HttpResponse<String> response = send("/tenants/acme/orders", "application/json", "{}");
        assertEquals(JSON.readTree("{\"orderId\": 7, \"lines\": [{\"quantity\": 2}, {\"quantity\": 1}], \"servedBy\": \"portico\"}"),
                JSON.readTree(response.body()));
        assertEquals(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length),
                response.headers().firstValue("Content-Length").orElse(""));
    }

    @Test
    void aTopLevelArray_isChangedElementByElement() throws Exception {
        backend.stubFor(get(urlEqualTo("/list")).willReturn(aResponse().withHeader("Content-Type", "application/vnd.shop+json")
                .withBody("[{\"sku\": \"A\", \"secret\": 1}, {\"sku\": \"B\", \"source\": \"mine\"}, 3]")));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(JSON.readTree("[{\"sku\": \"A\", \"source\": \"catalog\"}, {\"sku\": \"B\", \"source\": \"mine\"}, 3]"),
                JSON.readTree(response.body()));
    }

    @Test
    void aBodyThatIsNotJson_passesUntouched() throws Exception {
        backend.stubFor(post(urlEqualTo("/tenants/acme/orders")).willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("password=1")));
        HttpResponse<String> response = send("/tenants/acme/orders", "text/plain", "password=hunter2");
        assertEquals("password=1", response.body());
        backend.verify(postRequestedFor(urlEqualTo("/tenants/acme/orders")).withRequestBody(equalTo("password=hunter2")));
    }

    @Test
    void malformedJson_is400_andNothingReachesTheUpstream() throws Exception {
        HttpResponse<String> response = send("/tenants/acme/orders", "application/json", "{\"userName\": ");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("the request body is not JSON"), response.body());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBodyOverTheBound_is413_andNothingReachesTheUpstream() throws Exception {
        HttpResponse<String> response = send("/tenants/acme/orders", "application/json",
                "{\"note\": \"" + "x".repeat(5000) + "\"}");
        assertEquals(413, response.statusCode());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMalformedAnswer_is502() throws Exception {
        backend.stubFor(post(urlEqualTo("/tenants/acme/orders")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 7,")));
        HttpResponse<String> response = send("/tenants/acme/orders", "application/json", "{}");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().contains("UPSTREAM_BODY_INVALID"), response.body());
    }

    @Test
    void badPaths_areRefusedAtLoad() {
        for (String[] bad : new String[][] {
                {"remove: [\"items[]\"]", "ends in []"},
                {"rename: { \"items[].sku\": \"lines[].sku\" }", "the same array elements"},
                {"remove: [\"a..b\"]", "an empty name"},
                {"add: { x: \"{consumer.name}\" }", "not a placeholder"},
        }) {
            ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                    routes:
                      - id: r
                        match: { paths: [/r] }
                        url: http://127.0.0.1:9
                        plugins:
                          - name: json-transform
                            config:
                              request: { %s }
                    """.formatted(bad[0])).filters(new JsonTransformFactory()).start().close(), bad[0]);
            assertTrue(error.getMessage().contains(bad[1]) && error.getMessage().contains("request"), error.getMessage());
        }
    }
}
