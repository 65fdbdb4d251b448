package io.portico.plugins.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 7662 against a WireMock identity provider. */
class IntrospectionTest {
    final TestClock clock = new TestClock();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    WireMockServer backend;
    WireMockServer idp;
    TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        idp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
        long exp = clock.instant().getEpochSecond() + 60;
        answer("good-token", """
                {"active": true, "sub": "user-7", "client_id": "mobile-app", "scope": "orders:read profile", "exp": %d}
                """.formatted(exp));
        answer("service-token", """
                {"active": true, "client_id": "billing", "scope": "orders:read"}
                """);
        answer("revoked-token", "{\"active\": false}");
        gateway = TestGateway.builder().clock(clock).yaml("""
                consumers:
                  - id: user-7
                    groups: [customers]
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: oauth2-introspection
                        config:
                          introspection-url: ${IDP}/oauth2/introspect
                          client-id: portico
                          client-secret: "s3cret&more"
                          cache-ttl: 5m
                  - id: writes
                    match: { paths: [/writes/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: oauth2-introspection
                        config:
                          introspection-url: ${IDP}/oauth2/introspect
                          client-id: portico
                          client-secret: "s3cret&more"
                          required-scopes: [orders:write]
                """).env("BACKEND", backend.baseUrl()).env("IDP", idp.baseUrl())
                .filters(new IntrospectionFactory()).start();
    }

    private void answer(String token, String json) {
        idp.stubFor(post(urlEqualTo("/oauth2/introspect")).withRequestBody(containing("token=" + token))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json)));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.stop();
        idp.stop();
    }

    private HttpResponse<String> call(String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anActiveToken_passesAsItsConsumer_andTheProviderSeesTheGatewaysClientCredentials() throws Exception {
        assertEquals(200, call("/api/orders", "good-token").statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/api/orders")).withHeader("X-Consumer-Id", equalTo("user-7"))
                .withHeader("X-Consumer-Groups", equalTo("customers")).withHeader("Authorization", absent()));
        String basic = "Basic " + Base64.getEncoder().encodeToString("portico:s3cret%26more".getBytes());
        idp.verify(postRequestedFor(urlEqualTo("/oauth2/introspect")).withHeader("Authorization", equalTo(basic))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("token=good-token&token_type_hint=access_token")));
    }

    @Test
    void withoutASubject_theClientIdNamesTheConsumer() throws Exception {
        assertEquals(200, call("/api/invoices", "service-token").statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/api/invoices")).withHeader("X-Consumer-Id", equalTo("billing")));
    }

    @Test
    void inactiveAndUnknownTokens_are401_andNothingReachesTheUpstream() throws Exception {
        HttpResponse<String> revoked = call("/api/orders", "revoked-token");
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.body().contains("the token is not active"), revoked.body());
        assertEquals("Bearer realm=\"portico\", error=\"invalid_token\"",
                revoked.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(401, client.send(HttpRequest.newBuilder(gateway.uri("/api/orders")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void activeTokensAreRemembered_untilTheirExpiry() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, call("/api/orders", "good-token").statusCode());
        }
        idp.verify(1, postRequestedFor(urlEqualTo("/oauth2/introspect")));
        // exp is 60s away, sooner than the 5m cache-ttl
        clock.advance(Duration.ofSeconds(61));
        call("/api/orders", "good-token");
        idp.verify(2, postRequestedFor(urlEqualTo("/oauth2/introspect")));
        // inactive answers are never remembered
        call("/api/orders", "revoked-token");
        call("/api/orders", "revoked-token");
        idp.verify(4, postRequestedFor(urlEqualTo("/oauth2/introspect")));
    }

    @Test
    void aProviderThatFails_answers503_notA401() throws Exception {
        idp.stubFor(post(urlEqualTo("/oauth2/introspect")).willReturn(aResponse().withStatus(500)));
        HttpResponse<String> failing = call("/api/orders", "other-token");
        assertEquals(503, failing.statusCode(), failing.body());
        assertTrue(failing.body().contains("INTROSPECTION_UNAVAILABLE"), failing.body());
        idp.stop();
        assertEquals(503, call("/api/orders", "another-token").statusCode());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void requiredScopes_missing_are403() throws Exception {
        HttpResponse<String> response = call("/writes/orders", "good-token");
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("the token lacks the scopes orders:write"), response.body());
    }
}
