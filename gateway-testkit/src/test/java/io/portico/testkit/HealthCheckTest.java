package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Active health checks take a failing target out and bring it back; none left gives 503. */
class HealthCheckTest {
    WireMockServer one;
    WireMockServer two;
    TestGateway gateway;
    final HttpClient client = Backends.client();

    @BeforeEach
    void start() throws Exception {
        one = Backends.start();
        two = Backends.start();
        for (WireMockServer server : new WireMockServer[] {one, two}) {
            server.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));
            server.stubFor(get(urlEqualTo("/who")).willReturn(aResponse().withBody(server == one ? "one" : "two")));
        }
        gateway = TestGateway.builder().yaml("""
                upstreams:
                  pool:
                    targets: [{ url: "${ONE}" }, { url: "${TWO}" }]
                    health-check: { path: /health, interval: 50ms, timeout: 500ms, healthy-threshold: 2, unhealthy-threshold: 2 }
                routes:
                  - id: who
                    match: { paths: [/who] }
                    upstream: pool
                """).env("ONE", Backends.url(one)).env("TWO", Backends.url(two)).start();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        one.stop();
        two.stop();
    }

    String who() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri("/who")).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 ? answer.body() : String.valueOf(answer.statusCode());
    }

    /** Asks up to 100 times, 20 ms apart, until the condition holds over 6 answers in a row. */
    boolean eventually(Predicate<String> answer) throws Exception {
        int inARow = 0;
        for (int i = 0; i < 100; i++) {
            inARow = answer.test(who()) ? inARow + 1 : 0;
            if (inARow == 6) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Whether {@code body} is answered within 100 tries, 20 ms apart. */
    boolean seen(String body) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (body.equals(who())) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void failingHealthCheck_takesATargetOut_andPassingOnesBringItBack() throws Exception {
        assertTrue(eventually(body -> true));
        one.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(500)));
        assertTrue(eventually("two"::equals), "target one should be taken out");
        one.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));
        assertTrue(seen("one"), "target one should come back");
    }

    @Test
    void noHealthyTarget_is503Problem() throws Exception {
        one.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(503)));
        two.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(503)));
        assertTrue(eventually("503"::equals));
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri("/who")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, answer.statusCode());
        assertTrue(answer.body().contains("NO_HEALTHY_TARGET"), answer.body());
    }
}
