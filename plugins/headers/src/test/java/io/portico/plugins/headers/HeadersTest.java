package io.portico.plugins.headers;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeadersTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Server", "backend/1.0").withHeader("X-Internal", "secret").withBody("ok")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: tenants
                    match: { paths: ["/tenants/{tenant}/**"] }
                    url: ${BACKEND}
                    plugins:
                      - name: headers
                        config:
                          request:
                            remove: [X-Debug]
                            rename: { X-Old-Name: X-New-Name }
                            set:
                              X-Tenant: "{path.tenant}"
                              X-Route: "{route.id}"
                              X-Lang: "lang={query.lang}"
                              X-Braces: "{{literal}}"
                              X-Consumer: "{consumer.id}"
                            add:
                              X-Trace: "from-{header.X-Client}"
                          response:
                            remove: [X-Internal]
                            rename: { Server: X-Upstream-Server }
                            set: { X-Request: "{request.id}" }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .filters(new HeadersFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @Test
    void requestHeadersAreChangedBeforeTheUpstreamSeesThem() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/tenants/acme/orders?lang=fr"))
                .header("X-Debug", "1").header("X-Old-Name", "kept").header("X-Tenant", "forged")
                .header("X-Client", "mobile").header("X-Trace", "first").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        backend.verify(getRequestedFor(urlPathEqualTo("/tenants/acme/orders"))
                .withHeader("X-Debug", absent())
                .withHeader("X-Old-Name", absent())
                .withHeader("X-New-Name", equalTo("kept"))
                .withHeader("X-Tenant", equalTo("acme"))
                .withHeader("X-Route", equalTo("tenants"))
                .withHeader("X-Lang", equalTo("lang=fr"))
                .withHeader("X-Braces", equalTo("{literal}")));
        var received = backend.getAllServeEvents().getFirst().getRequest().getHeaders().getHeader("X-Trace").values();
        assertEquals(List.of("first", "from-mobile"), received, "add appends");
    }

    @Test
    void responseHeadersAreChangedBeforeTheClientSeesThem() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/tenants/acme/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("X-Internal").isEmpty());
        assertEquals("backend/1.0", response.headers().firstValue("X-Upstream-Server").orElse(null));
        assertEquals(response.headers().firstValue("X-Request-Id").orElse("none"),
                response.headers().firstValue("X-Request").orElse(null));
    }

    @Test
    void aMissingValueSendsNoHeaderRatherThanAnEmptyOne() throws Exception {
        backend.resetRequests();
        client.send(HttpRequest.newBuilder(gateway.uri("/tenants/acme/x")).header("X-Consumer", "forged").build(),
                HttpResponse.BodyHandlers.ofString());
        // nobody authenticated: the set header is removed, not sent empty, and the forged one is gone
        backend.verify(getRequestedFor(urlPathEqualTo("/tenants/acme/x")).withHeader("X-Consumer", absent()));
        // a placeholder inside other text renders as nothing
        backend.verify(getRequestedFor(urlPathEqualTo("/tenants/acme/x")).withHeader("X-Trace", equalTo("from-")));
        backend.verify(getRequestedFor(urlPathEqualTo("/tenants/acme/x")).withHeader("X-Lang", equalTo("lang=")));
    }

    @Test
    void anUnknownPlaceholderIsRefusedAtLoadWithItsPlace() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: headers
                        config:
                          request:
                            set: { X-Who: "{consumer.name}" }
                """).filters(new HeadersFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0]"), error.getMessage());
        assertTrue(error.getMessage().contains("request.set.X-Who"), error.getMessage());
        assertTrue(error.getMessage().contains("{consumer.name}"), error.getMessage());
    }

    @Test
    void anInvalidHeaderNameIsRefusedAtLoad() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: headers
                        config:
                          response:
                            remove: ["Bad Name"]
                """).filters(new HeadersFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0].config.response.remove"), error.getMessage());
        assertTrue(error.getMessage().contains("line 9"), error.getMessage());
    }
}
