package io.portico.plugins.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.portico.plugins.auth.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyAuthTest {
    static Fixtures fixtures;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixtures = new Fixtures();
        gateway = fixtures.gateway("""
                routes:
                  - id: by-header
                    match: { paths: [/h/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                  - id: by-header-or-query
                    match: { paths: [/q/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                        config: { header: X-Key, query: api_key }
                  - id: kept
                    match: { paths: [/kept/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                        config: { keep-credential: true, consumer-headers: false }
                """).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        fixtures.stop();
    }

    @BeforeEach
    void forget() {
        fixtures.backend.resetRequests();
    }

    @Test
    void aValidKey_reachesTheUpstreamAsItsConsumer_withoutTheKey() throws Exception {
        HttpResponse<String> response = fixtures.send(get(gateway.uri("/h/orders"), "X-Api-Key", Fixtures.ALICE_KEY));
        assertEquals(200, response.statusCode(), response.body());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/h/orders"))
                .withHeader("X-Api-Key", absent())
                .withHeader("X-Consumer-Id", equalTo("alice"))
                .withHeader("X-Consumer-Groups", equalTo("admin,staff"))
                .withHeader("X-Anonymous-Consumer", absent()));
    }

    @Test
    void noKey_is401_withAChallenge_andNothingReachesTheUpstream() throws Exception {
        HttpResponse<String> response = fixtures.send(get(gateway.uri("/h/orders")));
        assertEquals(401, response.statusCode());
        assertEquals("Key realm=\"portico\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("\"request_id\""), response.body());
        assertTrue(response.body().contains("no API key in the header X-Api-Key"), response.body());
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aWrongKey_anEmptyKey_orAKeyInTheWrongHeader_are401() throws Exception {
        String nearlyAlice = Fixtures.ALICE_KEY.substring(0, Fixtures.ALICE_KEY.length() - 1) + "!";
        for (String[] headers : new String[][] {{"X-Api-Key", nearlyAlice}, {"X-Api-Key", ""},
                {"X-Key", Fixtures.ALICE_KEY}, {"Authorization", "Bearer " + Fixtures.ALICE_KEY}}) {
            HttpResponse<String> response = fixtures.send(get(gateway.uri("/h/orders"), headers));
            assertEquals(401, response.statusCode(), String.join(": ", headers));
            assertTrue(response.body().contains("CREDENTIAL_"), response.body());
            assertTrue(!response.body().contains(nearlyAlice), "a problem response never repeats the key");
        }
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aKeyInTheQuery_isRemovedFromTheQuery_andTheOtherParametersStay() throws Exception {
        assertEquals(200, fixtures.send(get(gateway.uri("/q/search?term=shoes&api_key=" + Fixtures.BOB_KEY + "&page=2")))
                .statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/q/search?term=shoes&page=2"))
                .withHeader("X-Consumer-Id", equalTo("bob")));
        assertEquals(200, fixtures.send(get(gateway.uri("/q/search"), "X-Key", Fixtures.BOB_KEY)).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/q/search")).withHeader("X-Key", absent()));
        assertEquals(401, fixtures.send(get(gateway.uri("/q/search?api_key=wrong"))).statusCode());
    }

    @Test
    void aClientCannotPoseAsAConsumer_withConsumerHeadersOfItsOwn() throws Exception {
        assertEquals(200, fixtures.send(get(gateway.uri("/h/x"), "X-Api-Key", Fixtures.BOB_KEY,
                "X-Consumer-Id", "alice", "X-Consumer-Groups", "admin")).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/h/x"))
                .withHeader("X-Consumer-Id", equalTo("bob")).withHeader("X-Consumer-Groups", equalTo("staff")));
        assertEquals(200, fixtures.send(get(gateway.uri("/kept/x"), "X-Api-Key", Fixtures.BOB_KEY,
                "X-Consumer-Id", "alice")).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/kept/x"))
                .withHeader("X-Api-Key", equalTo(Fixtures.BOB_KEY)).withHeader("X-Consumer-Id", absent()));
    }
}
