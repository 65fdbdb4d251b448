package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.Headers;
import io.portico.api.Phase;
import io.portico.api.Request;
import io.portico.api.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A filter's side calls through PluginContext.http(): to a named upstream and to a URL. */
class SideCallTest {
    static WireMockServer service;
    static TestGateway gateway;
    final HttpClient client = Backends.client();

    record RelayConfig(String target, String path, Duration timeout, DataSize max) {
    }

    /** Answers with what the side call answered, prefixed with its status. */
    static FilterFactory<RelayConfig> relay() {
        return TestFilters.factory("relay", RelayConfig.class, Phase.TRANSFORM, (config, context) -> {
            URI target = URI.create(config.target());
            DataSize max = config.max() == null ? DataSize.ofMegabytes(1) : config.max();
            return (exchange, chain) -> {
                String[] pathAndQuery = config.path().split("\\?", 2);
                Request request = Request.of("GET", pathAndQuery[0])
                        .withQuery(pathAndQuery.length > 1 ? pathAndQuery[1] : null);
                // a stage attached before the answer arrives runs where the future completes
                String[] continuedOn = new String[1];
                Response answer = context.http().send(target, request
                        .withHeaders(Headers.of("X-Asked-By", exchange.requestId())), config.timeout(), max)
                        .thenApply(response -> {
                            continuedOn[0] = Thread.currentThread().isVirtual() ? "virtual" : "platform";
                            return response;
                        }).join();
                return Response.of(200, "text/plain", answer.status() + ":" + answer.body().text())
                        .withHeader("X-Continued-On", continuedOn[0]);
            };
        });
    }

    @BeforeAll
    static void start() throws Exception {
        service = Backends.start();
        service.stubFor(get(urlEqualTo("/profile/7?full=1")).willReturn(aResponse().withBody("alice")));
        service.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withBody("late").withFixedDelay(2000)));
        service.stubFor(get(urlEqualTo("/big")).willReturn(aResponse().withBody("x".repeat(4096))));
        service.stubFor(get(urlEqualTo("/later")).willReturn(aResponse().withBody("bob").withFixedDelay(300)));
        gateway = TestGateway.builder().yaml("""
                upstreams:
                  profiles:
                    targets: [{ url: "${SERVICE}" }]
                routes:
                  - id: pool
                    match: { paths: [/pool] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "upstream://profiles", path: "/profile/7?full=1", timeout: 2s } }]
                  - id: direct
                    match: { paths: [/direct] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "${SERVICE}", path: "/profile/7?full=1", timeout: 2s } }]
                  - id: slow
                    match: { paths: [/slow] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "upstream://profiles", path: /slow, timeout: 200ms } }]
                  - id: big
                    match: { paths: [/big] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "upstream://profiles", path: /big, timeout: 2s, max: 1KB } }]
                  - id: later
                    match: { paths: [/later] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "upstream://profiles", path: /later, timeout: 2s } }]
                  - id: unknown
                    match: { paths: [/unknown] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: relay, config: { target: "upstream://nobody", path: /x, timeout: 2s } }]
                """).env("SERVICE", Backends.url(service)).filters(relay()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        service.stop();
    }

    @Test
    void aSideCallReachesANamedUpstreamWithItsPathQueryAndHeaders() throws Exception {
        HttpResponse<String> response = send("/pool");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("200:alice", response.body());
        service.verify(getRequestedFor(urlEqualTo("/profile/7?full=1"))
                .withHeader("X-Asked-By", equalTo(response.headers().firstValue("X-Request-Id").orElse("?"))));
    }

    @Test
    void stagesThatDependOnASideCall_runOnAVirtualThread_notOnTheClientsThreads() throws Exception {
        HttpResponse<String> response = send("/later");
        assertEquals("200:bob", response.body());
        assertEquals("virtual", response.headers().firstValue("X-Continued-On").orElse("?"));
    }

    @Test
    void aSideCallReachesAUrl() throws Exception {
        assertEquals("200:alice", send("/direct").body());
    }

    @Test
    void aSlowServiceIsA504ProblemAtTheTimeout() throws Exception {
        HttpResponse<String> response = send("/slow");
        assertEquals(504, response.statusCode(), response.body());
        assertTrue(response.body().contains("request_id"), response.body());
    }

    @Test
    void anAnswerOverTheSizeIsA502Problem() throws Exception {
        HttpResponse<String> response = send("/big");
        assertEquals(502, response.statusCode(), response.body());
        assertTrue(response.body().contains("SIDE_CALL_TOO_LARGE"), response.body());
    }

    @Test
    void anUnknownUpstreamIsA502Problem() throws Exception {
        HttpResponse<String> response = send("/unknown");
        assertEquals(502, response.statusCode(), response.body());
        assertTrue(response.body().contains("no upstream is named 'nobody'"), response.body());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
