package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.FilterFactory;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Response;
import io.portico.api.Headers;
import io.portico.api.Body;
import io.portico.api.Phase;
import io.portico.api.ProblemException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes whose filters are all non-blocking run without a thread of their own, under the same rules. */
class NonBlockingPipelineTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = Backends.client();

    /** Marks the request and the response, and says whether it ran on a virtual thread. */
    static FilterFactory<TestFilters.TrailConfig> marking(String name, Phase phase) {
        return TestFilters.factory(name, TestFilters.TrailConfig.class, phase, config -> (NonBlockingFilter) (exchange, chain) -> {
            String trail = exchange.request().header("X-Trail");
            boolean virtual = Thread.currentThread().isVirtual();
            return chain.proceed(exchange.withRequest(exchange.request()
                    .withHeader("X-Trail", trail == null ? config.mark() : trail + "," + config.mark())))
                    .thenApply(response -> response.withHeader("X-Virtual-" + config.mark(), String.valueOf(virtual))
                            .withHeader("X-Trail", response.header("X-Trail") == null ? config.mark()
                                    : response.header("X-Trail") + "," + config.mark()));
        });
    }

    static FilterFactory<TestFilters.NoConfig> misbehaving(String name, NonBlockingFilter filter) {
        return TestFilters.factory(name, TestFilters.NoConfig.class, Phase.EDGE, config -> filter);
    }

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("upstream")));
        backend.stubFor(any(urlEqualTo("/answer-headers")).willReturn(aResponse().withStatus(200).withBody("upstream")
                .withHeader("X-Limit", "upstream's").withHeader("x-limit", "upstream's too").withHeader("X-Other", "kept")
                .withHeader("X-Request-Id", "upstream's")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: async
                    match: { paths: [/async] }
                    url: ${BACKEND}
                    plugins:
                      - { name: late, config: { mark: late } }
                      - { name: early, config: { mark: early } }
                  - id: mixed
                    match: { paths: [/mixed] }
                    url: ${BACKEND}
                    plugins:
                      - { name: early, config: { mark: early } }
                      - { name: edge-trail, config: { mark: blocking } }
                  - id: refusing
                    match: { paths: [/refusing] }
                    url: ${BACKEND}
                    plugins: [{ name: refusing }]
                  - id: throwing
                    match: { paths: [/throwing] }
                    url: ${BACKEND}
                    plugins: [{ name: throwing }]
                  - id: twice
                    match: { paths: [/twice] }
                    url: ${BACKEND}
                    plugins: [{ name: twice }]
                  - id: null-stage
                    match: { paths: [/null-stage] }
                    url: ${BACKEND}
                    plugins: [{ name: null-stage }]
                  - id: unreadable
                    match: { paths: [/unreadable] }
                    url: ${BACKEND}
                    plugins: [{ name: unreadable }]
                  - id: answer-headers
                    match: { paths: [/answer-headers] }
                    url: ${BACKEND}
                    plugins: [{ name: answer-headers }]
                  - id: answer-headers-refused
                    match: { paths: [/answer-headers-refused] }
                    url: ${BACKEND}
                    plugins: [{ name: answer-headers }, { name: refusing }]
                  - id: answer-headers-unreachable
                    match: { paths: [/answer-headers-unreachable] }
                    url: http://127.0.0.1:${DEAD_PORT}
                    plugins: [{ name: answer-headers }, { name: edge-trail, config: { mark: blocking } }]
                """).env("BACKEND", Backends.url(backend))
                .env("DEAD_PORT", Integer.toString(closedPort()))
                .filters(marking("early", Phase.EDGE), marking("late", Phase.TRANSFORM),
                        TestFilters.trail("edge-trail", Phase.EDGE),
                        misbehaving("refusing", (exchange, chain) -> CompletableFuture.failedFuture(
                                new ProblemException(429, "SLOW_DOWN", "Too Many Requests", "later"))),
                        misbehaving("throwing", (exchange, chain) -> chain.proceed(exchange).thenApply(response -> {
                            throw new IllegalStateException("boom after the upstream");
                        })),
                        misbehaving("twice", (exchange, chain) -> {
                            chain.proceed(exchange);
                            return chain.proceed(exchange);
                        }),
                        misbehaving("null-stage", (exchange, chain) -> null),
                        misbehaving("answer-headers", (exchange, chain) -> {
                            exchange.setResponseHeader("X-Limit", "first");
                            exchange.setResponseHeader("x-limit", "the filter's");
                            exchange.setResponseHeader("Content-Length", "1");
                            exchange.setResponseHeader("Connection", "close");
                            exchange.setResponseHeader("X-Request-Id", "not the gateway's");
                            return chain.proceed(exchange);
                        }),
                        misbehaving("unreadable", (exchange, chain) -> CompletableFuture.completedFuture(
                                new Response(200, Headers.empty(), new Body() {
                                    @Override
                                    public long length() {
                                        return 10;
                                    }

                                    @Override
                                    public java.io.InputStream stream() {
                                        return java.io.InputStream.nullInputStream();
                                    }

                                    @Override
                                    public byte[] bytes() throws java.io.IOException {
                                        throw new java.io.IOException("secret internals at /srv/app");
                                    }
                                }))))
                .start();
    }

    /** A port nothing listens on: connecting is refused, a 502. */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
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

    @Test
    void filtersRunInPhaseOrderOnNoThreadOfTheirOwn() throws Exception {
        HttpResponse<String> response = get("/async");
        assertEquals(200, response.statusCode());
        assertEquals("upstream", response.body());
        backend.verify(getRequestedFor(urlEqualTo("/async")).withHeader("X-Trail", equalTo("early,late")));
        assertEquals("late,early", response.headers().firstValue("X-Trail").orElse(null));
        assertEquals("false", response.headers().firstValue("X-Virtual-early").orElse(null));
    }

    @Test
    void besideABlockingFilterTheyRunOnItsVirtualThread() throws Exception {
        HttpResponse<String> response = get("/mixed");
        assertEquals(200, response.statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/mixed")).withHeader("X-Trail", equalTo("early,blocking")));
        assertEquals("true", response.headers().firstValue("X-Virtual-early").orElse(null));
    }

    @Test
    void aStageFailingWithAProblemAnswersWithIt() throws Exception {
        HttpResponse<String> response = get("/refusing");
        assertEquals(429, response.statusCode());
        assertTrue(response.body().contains("SLOW_DOWN"), response.body());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAnswerThatCannotBeWritten_is500Problem_underTheRequestsId_withoutTheFailuresText() throws Exception {
        HttpResponse<String> response = get("/unreadable");
        assertEquals(500, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("\"request_id\":\"" + response.headers().firstValue("X-Request-Id")
                .orElseThrow()), response.body());
        assertFalse(response.body().contains("secret") || response.body().contains("IOException"), response.body());
        assertEquals(200, get("/async").statusCode());
    }

    @Test
    void headersSetOnTheExchangeGoOnWhateverAnswerTheClientGets() throws Exception {
        HttpResponse<String> upstream = get("/answer-headers");
        assertEquals(200, upstream.statusCode());
        assertEquals("upstream", upstream.body(), "the body keeps its own length");
        assertEquals(java.util.List.of("the filter's"), upstream.headers().allValues("X-Limit"),
                "the last value set, over every field of that name from the upstream");
        assertEquals("kept", upstream.headers().firstValue("X-Other").orElse(null));
        assertTrue(upstream.headers().firstValue("Connection").isEmpty(), "hop-by-hop fields are not written");
        assertEquals(1, upstream.headers().allValues("X-Request-Id").size(), "the request id stays the gateway's");
        assertFalse(upstream.headers().firstValue("X-Request-Id").orElseThrow().contains("'"),
                "neither the filter's nor the upstream's");

        HttpResponse<String> refused = get("/answer-headers-refused");
        assertEquals(429, refused.statusCode());
        assertEquals("the filter's", refused.headers().firstValue("X-Limit").orElse(null));
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(null));

        HttpResponse<String> unreachable = get("/answer-headers-unreachable");
        assertEquals(502, unreachable.statusCode(), "on a route with a blocking filter too");
        assertEquals("the filter's", unreachable.headers().firstValue("X-Limit").orElse(null));
        assertEquals(1, unreachable.headers().allValues("X-Request-Id").size());
        assertTrue(unreachable.body().contains(unreachable.headers().firstValue("X-Request-Id").orElseThrow()));
    }

    @Test
    void brokenRulesCostOnlyThatRequestA500NamingTheFilter() throws Exception {
        for (String path : new String[] {"/throwing", "/twice", "/null-stage"}) {
            HttpResponse<String> response = get(path);
            assertEquals(500, response.statusCode(), path);
            assertTrue(response.body().contains("filter '" + path.substring(1) + "' failed"), response.body());
        }
        assertEquals(200, get("/async").statusCode(), "the gateway goes on");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
