package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.Phase;
import io.portico.core.config.ConfigException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = Backends.client();

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        gateway = TestGateway.builder().yaml("""
                plugins:
                  - name: transform-trail
                    config: { mark: global }
                routes:
                  - id: ordered
                    match: { paths: [/ordered/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: transform-trail
                        config: { mark: route-transform }
                      - name: edge-trail
                        config: { mark: route-edge }
                      - name: auth-trail
                        config: { mark: route-auth }
                  - id: explode
                    match: { paths: [/explode] }
                    url: ${BACKEND}
                    plugins: [{ name: explode }]
                  - id: twice
                    match: { paths: [/twice] }
                    url: ${BACKEND}
                    plugins: [{ name: twice }]
                  - id: nothing
                    match: { paths: [/nothing] }
                    url: ${BACKEND}
                    plugins: [{ name: nothing }]
                  - id: teapot
                    match: { paths: [/teapot] }
                    url: ${BACKEND}
                    plugins: [{ name: teapot }]
                """).env("BACKEND", Backends.url(backend))
                .filters(TestFilters.trail("transform-trail", Phase.TRANSFORM), TestFilters.trail("edge-trail", Phase.EDGE),
                        TestFilters.trail("auth-trail", Phase.AUTHENTICATION), TestFilters.throwing(),
                        TestFilters.proceedTwice(), TestFilters.returningNull(), TestFilters.answering())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @BeforeEach
    void reset() {
        backend.resetAll();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void filtersRunByPhase_thenInListOrder_globalFirst_andResponsesWalkBack() throws Exception {
        HttpResponse<String> answer = get("/ordered/x");
        assertEquals(200, answer.statusCode());
        backend.verify(getRequestedFor(urlEqualTo("/ordered/x"))
                .withHeader("X-Trail", equalTo("route-edge,route-auth,global,route-transform")));
        assertEquals("route-transform,global,route-auth,route-edge", answer.headers().firstValue("X-Trail").orElseThrow());
    }

    @Test
    void throwingFilter_costsThatRequestA500ProblemNamingTheFilter_andTheGatewayGoesOn() throws Exception {
        HttpResponse<String> answer = get("/explode");
        assertEquals(500, answer.statusCode());
        assertTrue(answer.body().contains("FILTER_FAILED") && answer.body().contains("'explode'"), answer.body());
        assertTrue(answer.body().contains(answer.headers().firstValue("X-Request-Id").orElseThrow()));
        assertEquals(200, get("/ordered/y").statusCode());
    }

    @Test
    void proceedingTwice_isCaughtAndNamed() throws Exception {
        HttpResponse<String> answer = get("/twice");
        assertEquals(500, answer.statusCode());
        assertTrue(answer.body().contains("'twice'"), answer.body());
    }

    @Test
    void returningNull_isCaughtAndNamed() throws Exception {
        HttpResponse<String> answer = get("/nothing");
        assertEquals(500, answer.statusCode());
        assertTrue(answer.body().contains("'nothing'"), answer.body());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void filterMayAnswerWithoutTheUpstream() throws Exception {
        HttpResponse<String> answer = get("/teapot");
        assertEquals(418, answer.statusCode());
        assertEquals("short and stout, route teapot", answer.body());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownPlugin_andBadPluginConfig_areRefusedWithPathsAndLines() {
        ConfigException refused = assertThrows(ConfigException.class, () -> gateway.reload("""
                routes:
                  - id: a
                    url: http://127.0.0.1:1
                    plugins:
                      - name: key-auth
                      - name: edge-trail
                        config: { mark: "", colour: red }
                """));
        String message = refused.getMessage();
        assertTrue(message.contains("routes[0].plugins[0].name: no plugin named 'key-auth' is loaded; the loaded plugins are: "
                + "auth-trail, edge-trail, explode, js, nothing, teapot, transform-trail, twice (line 5)"), message);
        assertTrue(message.contains("routes[0].plugins[1].config.colour: plugin 'edge-trail' on route 'a': unknown key"
                + " 'colour'; the keys here are: mark (line 7)"), message);
    }
}
