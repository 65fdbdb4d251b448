package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** js filters: the script API, the sandbox against hostile scripts, limits, hot reload, meters. */
class ScriptFilterTest {
    @TempDir
    static Path home;
    static WireMockServer backend;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String[][] HOSTILE = {
        {"java-type", "Java.type('java.lang.Runtime').getRuntime().exec('id')"},
        {"polyglot", "Polyglot.eval('js', '1')"},
        {"load", "load('/etc/passwd')"},
        {"require", "require('fs').readFileSync('/etc/passwd')"},
        {"process", "process.env.HOME"},
        {"endless", "while (true) {}"},
        {"recursion", "(function down(n) { return down(n + 1) + 1; })(0)"},
        {"giant-string", "let s = 'x'; while (true) { s = s + s; }"},
        {"giant-array", "new Array(500000000).fill(7)"},
        {"throws", "throw new Error('boom')"},
        {"garbage", "return 42"},
        {"bad-status", "return respond(1234, 'x')"},
        {"bad-header", "exchange.request.headers.set('Bad Name', 'x')"},
        {"header-smuggling", "exchange.request.headers.set('X-A', 'v\\nS\\nX-Evil\\nyes')"},
        {"constructor-escape", "this.constructor.constructor('return Java')().type('java.lang.System')"},
    };

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("plain")));
        backend.stubFor(get(urlEqualTo("/users/7")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\":7,\"name\":\"Ada\",\"password\":\"hunter2\",\"card\":{\"number\":\"4111\"}}")));
        Path filters = Files.createDirectories(home.resolve("filters"));
        Files.writeString(filters.resolve("tenant.js"), """
                function onRequest(exchange) {
                  const tenant = exchange.request.headers.get('X-Tenant');
                  if (!tenant) {
                    return respond(403, { error: 'nope', route: exchange.route });
                  }
                  exchange.request.headers.set(config.header, tenant.toUpperCase());
                  exchange.request.path = '/tenants/' + tenant + exchange.request.path;
                  exchange.attributes.tenant = tenant;
                  log.info('tenant', tenant);
                }
                function onResponse(exchange, response) {
                  response.headers.set('X-Served-Tenant', exchange.attributes.tenant);
                }
                """);
        Files.writeString(filters.resolve("redact.js"), """
                function onResponse(exchange, response) {
                  const user = response.body.json();
                  delete user.password;
                  user.card.number = '****';
                  response.body.set(user);
                }
                """);
        Files.writeString(filters.resolve("validate.js"), """
                function onRequest(exchange) {
                  let order;
                  try { order = exchange.request.body.json(); } catch (e) { return respond(400, { error: 'not JSON' }); }
                  if (typeof order.quantity !== 'number' || order.quantity < 1) {
                    return respond(400, { error: 'quantity must be a positive number' });
                  }
                }
                """);
        Files.writeString(filters.resolve("rewrite.js"), """
                function onRequest(exchange) {
                  exchange.request.method = 'PUT';
                  exchange.request.query = 'page=' + (exchange.queryParam('page') || '1') + '&size=10';
                  exchange.request.headers.remove('X-Drop');
                }
                function onResponse(exchange, response) {
                  response.status = 202;
                  response.headers.remove('X-Backend-Secret');
                }
                """);
        backend.stubFor(put(urlPathEqualTo("/rewrite")).willReturn(aResponse().withStatus(200)
                .withHeader("X-Backend-Secret", "s3cret").withHeader("X-Kept", "yes").withBody("put")));
        Files.writeString(filters.resolve("stall.js"), "function onRequest(exchange) {\n  while (true) {}\n}\n");
        StringBuilder hostileRoutes = new StringBuilder("""
                  - id: stall
                    match: { paths: [/stall] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: filters/stall.js, timeout: 1500ms, statement-limit: 1000000000000 }
                """);
        for (String[] hostile : HOSTILE) {
            Files.writeString(filters.resolve(hostile[0] + ".js"), "function onRequest(exchange) {\n  " + hostile[1] + "\n}\n");
            hostileRoutes.append("""
                      - id: %1$s
                        match: { paths: [/hostile/%1$s] }
                        url: ${BACKEND}
                        plugins:
                          - name: js
                            config: { script: filters/%1$s.js, timeout: 100ms }
                    """.formatted(hostile[0]));
        }
        gateway = TestGateway.builder().home(home).yaml("""
                server:
                  admin: { port: 0 }
                routes:
                  - id: tenants
                    match: { paths: [/orders/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: filters/tenant.js, config: { header: X-Tenant-Id } }
                  - id: users
                    match: { paths: ["/users/{id}"] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: filters/redact.js }
                  - id: rewrite
                    match: { paths: [/rewrite] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: filters/rewrite.js }
                  - id: orders-post
                    match: { paths: [/checkout], methods: [POST] }
                    url: ${BACKEND}
                    plugins:
                      - name: js
                        config: { script: filters/validate.js }
                """ + hostileRoutes).env("BACKEND", backend.baseUrl()).start();
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
    void aScriptRewritesTheRequest_withItsConfig_andSeesItsAttributesInOnResponse() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/orders/1?x=1")).header("X-Tenant", "acme"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("acme", response.headers().firstValue("X-Served-Tenant").orElse(null));
        backend.verify(getRequestedFor(urlEqualTo("/tenants/acme/orders/1?x=1")).withHeader("X-Tenant-Id", equalTo("ACME")));
    }

    @Test
    void aScriptChangesMethodQueryHeadersAndStatus_andWhatItLeftAloneStays() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/rewrite?page=2"))
                .header("X-Drop", "1").header("X-Keep", "2"));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("put", response.body());
        assertTrue(response.headers().firstValue("X-Backend-Secret").isEmpty());
        assertEquals("yes", response.headers().firstValue("X-Kept").orElse(null));
        backend.verify(putRequestedFor(urlEqualTo("/rewrite?page=2&size=10")).withoutHeader("X-Drop")
                .withHeader("X-Keep", equalTo("2")));
    }

    @Test
    void respond_answersAtOnce_withJson() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/orders/1")));
        assertEquals(403, response.statusCode());
        assertEquals("{\"error\":\"nope\",\"route\":\"tenants\"}", response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void aResponseBodyIsRedacted() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users/7")));
        assertEquals(200, response.statusCode());
        assertEquals("{\"id\":7,\"name\":\"Ada\",\"card\":{\"number\":\"****\"}}", response.body());
        assertEquals(String.valueOf(response.body().length()), response.headers().firstValue("Content-Length").orElse(null));
    }

    @Test
    void aRequestBodyIsValidated_andAValidOneReachesTheUpstreamUnchanged() throws Exception {
        assertEquals(400, send(HttpRequest.newBuilder(gateway.uri("/checkout"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 0}"))).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(gateway.uri("/checkout"))
                .POST(HttpRequest.BodyPublishers.ofString("not json"))).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/checkout"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 2, \"sku\": \"A-1\"}"))).statusCode());
        backend.verify(1, postRequestedFor(urlPathEqualTo("/checkout")));
        backend.verify(postRequestedFor(urlPathEqualTo("/checkout")).withRequestBody(equalToJson("{\"quantity\": 2, \"sku\": \"A-1\"}")));
    }

    @Test
    void hostileScripts_areContained_andTheGatewayServesTheNextRequest() throws Exception {
        for (String[] hostile : HOSTILE) {
            for (int attempt = 0; attempt < 2; attempt++) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/hostile/" + hostile[0])));
                assertEquals(500, response.statusCode(), hostile[0] + ": " + response.body());
                assertTrue(response.body().contains("\"code\":\"SCRIPT_"), hostile[0] + ": " + response.body());
                assertTrue(response.body().contains("\"request_id\""), response.body());
                assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/orders/1")).header("X-Tenant", "acme"))
                        .statusCode(), "after " + hostile[0]);
            }
        }
        assertTrue(backend.findAll(anyRequestedFor(urlEqualTo("/hostile/header-smuggling"))).isEmpty(),
                "a header value with a line break never reaches the upstream, as one header or as several");
        HttpResponse<String> endless = send(HttpRequest.newBuilder(gateway.uri("/hostile/endless")));
        assertTrue(endless.body().contains("SCRIPT_TIMEOUT"), endless.body());
        HttpResponse<String> thrown = send(HttpRequest.newBuilder(gateway.uri("/hostile/throws")));
        assertTrue(thrown.body().contains("failed at line 2"), thrown.body());
    }

    @Test
    void aScriptThatRunsIntoItsTimeOut_stallsOnlyItsOwnCalls() throws Exception {
        // the first offence may run on the thread that read the request; after it, the script's
        // calls run on its own threads, and the gateway's threads go on serving everyone else
        assertEquals(500, send(HttpRequest.newBuilder(gateway.uri("/stall"))).statusCode());
        CompletableFuture<HttpResponse<String>> stalled = client.sendAsync(
                HttpRequest.newBuilder(gateway.uri("/stall")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertFalse(stalled.isDone(), "the stalled call runs for its 1.5 s time-out");
        HttpResponse<String> other = send(HttpRequest.newBuilder(gateway.uri("/orders/1")).header("X-Tenant", "acme"));
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/users/7"))).statusCode());
        assertFalse(stalled.isDone(), "other requests were answered while the stalled call still ran");
        HttpResponse<String> timedOut = stalled.get(10, TimeUnit.SECONDS);
        assertEquals(500, timedOut.statusCode());
        assertTrue(timedOut.body().contains("SCRIPT_TIMEOUT"), timedOut.body());
    }

    @Test
    void perScriptMeters_areOnTheAdminPort() throws Exception {
        send(HttpRequest.newBuilder(gateway.uri("/orders/1")).header("X-Tenant", "acme"));
        send(HttpRequest.newBuilder(gateway.uri("/hostile/throws")));
        String metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics"))).body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("portico_plugin_js_calls_total") && line.contains("script=\"tenant.js\"")),
                metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("portico_plugin_js_errors_total") && line.contains("script=\"throws.js\"")
                && !line.endsWith(" 0.0")), metrics);
        assertTrue(metrics.contains("portico_plugin_js_duration_seconds_count"), metrics);
    }

    @Test
    void aSyntaxErrorAtLoad_namesFileLineAndColumn(@TempDir Path other) throws Exception {
        Files.createDirectories(other.resolve("filters"));
        Files.writeString(other.resolve("filters/broken.js"), "function onRequest(exchange) {\n  let x = ;\n}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().home(other).yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: js
                        config: { script: filters/broken.js }
                """).start().close());
        assertTrue(error.getMessage().contains("broken.js:2:"), error.getMessage());
        assertTrue(error.getMessage().contains("routes[0].plugins[0]"), error.getMessage());
    }

    @Test
    void anEditTakesEffectWithinTwoSeconds_aSyntaxErrorKeepsThePreviousVersion(@TempDir Path other) throws Exception {
        Path script = Files.createDirectories(other.resolve("filters")).resolve("version.js");
        Files.writeString(script, "function onRequest(exchange) { return respond(200, 'one'); }\n");
        try (TestGateway reloading = TestGateway.builder().home(other).yaml("""
                routes:
                  - id: r
                    match: { paths: [/v] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: js
                        config: { script: filters/version.js }
                """).start()) {
            assertEquals("one", send(HttpRequest.newBuilder(reloading.uri("/v"))).body());
            Files.writeString(script, "function onRequest(exchange) { return respond(200, 'two'); }\n");
            assertTrue(eventually(reloading, "two"), "the edit was not picked up within 2 s");
            Files.writeString(script, "function onRequest(exchange) { return respond(200, 'three' }\n");
            Thread.sleep(1500);
            assertEquals("two", send(HttpRequest.newBuilder(reloading.uri("/v"))).body());
            Files.writeString(script, "function onRequest(exchange) { return respond(200, 'four'); }\n");
            assertTrue(eventually(reloading, "four"), "a fixed script was not picked up");
        }
        assertFalse(Files.exists(other.resolve("nothing")));
    }

    private static boolean eventually(TestGateway reloading, String expected) throws Exception {
        for (int i = 0; i < 20; i++) {
            if (expected.equals(send(HttpRequest.newBuilder(reloading.uri("/v"))).body())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
