package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.Consumer;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every recipe of docs/js-filters.md, from docs/js-filters/, through a gateway; the page shows the files as they are. */
class ScriptCookbookTest {
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    static WireMockServer backend;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Stands in for jwt: the consumer with a tenant claim, from a test header. */
    static final class ClaimsFactory implements FilterFactory<ClaimsFactory.Config> {
        record Config() {
        }

        @Override
        public String name() {
            return "test-claims";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public Phase phase() {
            return Phase.AUTHENTICATION;
        }

        @Override
        public GatewayFilter create(Config config, PluginContext context) {
            NonBlockingFilter filter = (exchange, chain) -> {
                String tenant = exchange.request().header("X-Test-Tenant");
                return chain.proceed(tenant == null ? exchange
                        : exchange.withConsumer(new Consumer("user-1", Set.of(), Map.of("tenant", tenant))));
            };
            return filter;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        backend.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"name\":\"Ada\",\"password\":\"x\",\"ssn\":\"123\",\"card\":{\"number\":\"4111111111111111\"}}")));
        gateway = TestGateway.builder().home(REPOSITORY).yaml("""
                routes:
                  - id: claim
                    match: { paths: [/claim/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: test-claims
                      - name: js
                        config: { script: docs/js-filters/add-header-from-claim.js }
                  - id: tenants
                    match: { paths: [/orders/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: docs/js-filters/route-by-tenant.js, config: { tenants: [acme, globex] } }
                  - id: ab
                    match: { paths: [/shop/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: docs/js-filters/ab-by-cookie.js }
                  - id: orders-post
                    match: { paths: [/checkout], methods: [POST] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: docs/js-filters/validate-json-body.js }
                  - id: me
                    match: { paths: [/me] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: docs/js-filters/redact-response.js, config: { remove: [password, ssn] } }
                """).env("BACKEND", backend.baseUrl()).filters(new ClaimsFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void addHeaderFromClaim() throws Exception {
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/claim/x")).header("X-Test-Tenant", "acme")).statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/claim/x")).withHeader("X-Tenant", equalTo("acme")));
    }

    @Test
    void routeByTenant() throws Exception {
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/orders/9")).header("X-Tenant", "globex")).statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/globex/orders/9")));
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(gateway.uri("/orders/9")).header("X-Tenant", "initech"));
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"error\":\"unknown tenant\",\"tenant\":\"initech\"}", unknown.body());
    }

    @Test
    void abByCookie() throws Exception {
        HttpResponse<String> first = send(HttpRequest.newBuilder(gateway.uri("/shop/home")));
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("ab=[ab]; Path=/; Max-Age=2592000"), cookie);
        HttpResponse<String> again = send(HttpRequest.newBuilder(gateway.uri("/shop/home")).header("Cookie", "ab=b"));
        assertTrue(again.headers().firstValue("Set-Cookie").isEmpty());
        backend.verify(getRequestedFor(urlEqualTo("/shop/home")).withHeader("X-Variant", equalTo("b")));
    }

    @Test
    void validateJsonBody() throws Exception {
        assertEquals(400, send(HttpRequest.newBuilder(gateway.uri("/checkout")).POST(HttpRequest.BodyPublishers.ofString("{")))
                .statusCode());
        assertEquals(422, send(HttpRequest.newBuilder(gateway.uri("/checkout"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 1.5}"))).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/checkout"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 3}"))).statusCode());
        backend.verify(1, postRequestedFor(urlEqualTo("/checkout")));
    }

    @Test
    void redactResponse() throws Exception {
        assertEquals("{\"name\":\"Ada\",\"card\":{\"number\":\"**** 1111\"}}", send(HttpRequest.newBuilder(gateway.uri("/me"))).body());
    }

    @Test
    void thePageShowsEachRecipeAsItsFileHasIt() throws Exception {
        String page = Files.readString(REPOSITORY.resolve("docs/js-filters.md"));
        try (var files = Files.list(REPOSITORY.resolve("docs/js-filters"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".js")).toList()) {
                String code = Files.readString(file).lines().filter(line -> !line.startsWith("//"))
                        .collect(Collectors.joining("\n")).strip();
                assertTrue(page.contains(code), file.getFileName() + " differs from the page");
            }
        }
    }
}
