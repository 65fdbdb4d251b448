package io.portico.plugins.aggregate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AggregateTest {
    static WireMockServer services;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        services = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        services.start();
        services.stubFor(get(urlEqualTo("/products/42")).willReturn(json("{\"id\":42,\"name\":\"Lamp\",\"sellerId\":\"s 7\"}", 20)));
        services.stubFor(get(urlEqualTo("/products/43")).willReturn(json("{\"id\":43,\"sellerId\":\"../admin\"}", 0)));
        services.stubFor(get(urlEqualTo("/stock/43")).willReturn(json("{}", 0)));
        services.stubFor(get(urlEqualTo("/stock/42")).willReturn(json("{\"available\":3}", 20)));
        services.stubFor(get(urlEqualTo("/reviews?product=42")).willReturn(json("[{\"stars\":5}]", 20)));
        services.stubFor(get(urlEqualTo("/slow-reviews?product=42")).willReturn(json("[]", 3000)));
        services.stubFor(get(urlEqualTo("/sellers/s%207")).willReturn(json("{\"name\":\"Acme\"}", 0)));
        services.stubFor(get(urlEqualTo("/broken/42")).willReturn(aResponse().withStatus(500)));
        services.stubFor(get(urlEqualTo("/profile")).willReturn(json("{\"user\":{\"name\":\"Ada\",\"lang\":\"en\"}}", 0)));
        services.stubFor(get(urlEqualTo("/settings")).willReturn(json("{\"user\":{\"lang\":\"fr\"},\"theme\":\"dark\"}", 0)));
        gateway = TestGateway.builder().yaml("""
                upstreams:
                  catalog:
                    targets: [{ url: "${SERVICES}" }]
                routes:
                  - id: product-page
                    match: { paths: ["/pages/products/{id}"] }
                    url: ${SERVICES}
                    plugins:
                      - name: aggregate
                        config:
                          parts:
                            - { name: product, url: "upstream://catalog/products/{path.id}", timeout: 1s }
                            - { name: stock, url: "${SERVICES}/stock/{path.id}", timeout: 1s }
                            - { name: reviews, url: "${SERVICES}/reviews?product={path.id}", timeout: 1s, required: false }
                            - { name: seller, url: "${SERVICES}/sellers/{parts.product.sellerId}", timeout: 1s }
                  - id: slow
                    match: { paths: ["/slow/{id}"] }
                    url: ${SERVICES}
                    plugins:
                      - name: aggregate
                        config:
                          on-missing: "null"
                          parts:
                            - { name: product, url: "${SERVICES}/products/{path.id}" }
                            - { name: stock, url: "${SERVICES}/stock/{path.id}" }
                            - { name: reviews, url: "${SERVICES}/slow-reviews?product={path.id}", timeout: 200ms, required: false }
                  - id: broken
                    match: { paths: ["/broken/{id}"] }
                    url: ${SERVICES}
                    plugins:
                      - name: aggregate
                        config:
                          parts:
                            - { name: product, url: "${SERVICES}/products/{path.id}" }
                            - { name: broken, url: "${SERVICES}/broken/{path.id}" }
                  - id: late
                    match: { paths: ["/late/{id}"] }
                    url: ${SERVICES}
                    plugins:
                      - name: aggregate
                        config:
                          parts:
                            - { name: reviews, url: "${SERVICES}/slow-reviews?product={path.id}", timeout: 200ms }
                  - id: me
                    match: { paths: [/me] }
                    url: ${SERVICES}
                    plugins:
                      - name: aggregate
                        config:
                          merge: deep
                          parts:
                            - { name: profile, url: "${SERVICES}/profile" }
                            - { name: settings, url: "${SERVICES}/settings" }
                """).env("SERVICES", services.baseUrl()).filters(new AggregateFactory()).start();
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body, int delayMillis) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body).withFixedDelay(delayMillis);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        services.stop();
    }

    @BeforeEach
    void forget() {
        services.resetRequests();
    }

    private static HttpResponse<String> fetch(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void partsAreCalledInParallel_aDependentPartAfterItsSource_andMergedUnderTheirNames() throws Exception {
        HttpResponse<String> response = fetch("/pages/products/42", "Authorization", "Bearer t0ken");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"product\":{\"id\":42,\"name\":\"Lamp\",\"sellerId\":\"s 7\"},\"stock\":{\"available\":3},"
                + "\"reviews\":[{\"stars\":5}],\"seller\":{\"name\":\"Acme\"}}", response.body());
        // the three independent parts each take 20 ms: all three must have started before the first answered
        List<ServeEvent> events = services.getAllServeEvents();
        List<Long> independent = events.stream().filter(event -> !event.getRequest().getUrl().startsWith("/sellers"))
                .map(event -> event.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertEquals(3, independent.size());
        assertTrue(independent.get(2) - independent.get(0) < 20, "parts started " + independent + " (ms), not at once");
        long seller = events.stream().filter(event -> event.getRequest().getUrl().startsWith("/sellers"))
                .findFirst().orElseThrow().getRequest().getLoggedDate().getTime();
        long product = events.stream().filter(event -> event.getRequest().getUrl().startsWith("/products"))
                .findFirst().orElseThrow().getRequest().getLoggedDate().getTime();
        assertTrue(seller >= product + 20, "the seller part waited for the product part's answer");
        services.verify(getRequestedFor(urlPathEqualTo("/stock/42")).withHeader("Authorization", equalTo("Bearer t0ken"))
                .withHeader("X-Request-Id", matching("[0-9a-f]{32}")));
    }

    @Test
    void aSlowOptionalPart_isLeftOutAtItsTimeout_andNamedInAHeader() throws Exception {
        HttpResponse<String> response = fetch("/slow/42");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"product\":{\"id\":42,\"name\":\"Lamp\",\"sellerId\":\"s 7\"},\"stock\":{\"available\":3},"
                + "\"reviews\":null}", response.body());
        assertEquals("reviews", response.headers().firstValue("X-Aggregate-Missing").orElse(null));
    }

    @Test
    void aRequiredPartThatFails_is502_andOneThatTimesOut_is504() throws Exception {
        HttpResponse<String> broken = fetch("/broken/42");
        assertEquals(502, broken.statusCode());
        assertTrue(broken.body().contains("the required part 'broken' failed: it answered 500"), broken.body());
        HttpResponse<String> late = fetch("/late/42");
        assertEquals(504, late.statusCode());
        assertTrue(late.body().contains("PART_TIMEOUT"), late.body());
    }

    @Test
    void aValueCannotAddPathSegments() throws Exception {
        HttpResponse<String> response = fetch("/pages/products/43");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().contains("the required part 'seller' failed: a value its URL needs is missing"),
                response.body());
        services.verify(0, getRequestedFor(urlPathEqualTo("/admin")));
    }

    @Test
    void deepMerge_laterPartsWin() throws Exception {
        assertEquals("{\"user\":{\"name\":\"Ada\",\"lang\":\"fr\"},\"theme\":\"dark\"}", fetch("/me").body());
    }

    @Test
    void aPartNeedingALaterPart_isRefusedAtLoad() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: aggregate
                        config:
                          parts:
                            - { name: orders, url: "http://127.0.0.1:9/orders?user={parts.user.id}" }
                            - { name: user, url: "http://127.0.0.1:9/me" }
                """).filters(new AggregateFactory()).start().close());
        assertTrue(error.getMessage().contains("part 'orders' takes a value from 'user', which must be listed before it"),
                error.getMessage());
    }
}
