package io.portico.plugins.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.portico.plugins.auth.Fixtures.basic;
import static io.portico.plugins.auth.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.testkit.TestGateway;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A route that takes an API key or a password, and lets strangers read as the guest consumer. */
class SeveralMethodsTest {
    static Fixtures fixtures;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixtures = new Fixtures();
        gateway = fixtures.gateway("""
                routes:
                  - id: catalog
                    match: { paths: [/catalog/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                        config: { anonymous: guest }
                      - name: basic-auth
                        config: { anonymous: guest }
                      - name: acl
                        config:
                          rules:
                            - methods: [GET]
                              anonymous: true
                            - methods: [POST]
                              groups: [staff]
                  - id: key-or-password
                    match: { paths: [/either/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                        config: { anonymous: guest }
                      - name: basic-auth
                        config: { anonymous: guest }
                      - name: acl
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
    void eitherCredentialIdentifiesTheConsumer() throws Exception {
        assertEquals(200, fixtures.send(get(gateway.uri("/either/a"), "X-Api-Key", Fixtures.BOB_KEY)).statusCode());
        assertEquals(200, fixtures.send(get(gateway.uri("/either/b"), "Authorization",
                basic("alice", "alice's password"))).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/either/a")).withHeader("X-Consumer-Id", equalTo("bob"))
                .withHeader("X-Anonymous-Consumer", absent()));
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/either/b")).withHeader("X-Consumer-Id", equalTo("alice")));
    }

    @Test
    void withNeitherCredential_theAnonymousConsumerIsRefusedByAclUnlessARuleLetsItIn() throws Exception {
        assertEquals(401, fixtures.send(get(gateway.uri("/either/a"))).statusCode());
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
        assertEquals(200, fixtures.send(get(gateway.uri("/catalog/shoes"))).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/catalog/shoes"))
                .withHeader("X-Consumer-Id", equalTo("guest")).withHeader("X-Anonymous-Consumer", equalTo("true")));
        assertEquals(401, fixtures.send(get(gateway.uri("/catalog/shoes")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode());
        assertEquals(200, fixtures.send(get(gateway.uri("/catalog/shoes"), "X-Api-Key", Fixtures.BOB_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    @Test
    void aWrongCredential_isRefused_evenWhereStrangersMayRead() throws Exception {
        assertEquals(401, fixtures.send(get(gateway.uri("/catalog/shoes"), "X-Api-Key", "guessed")).statusCode());
        assertEquals(401, fixtures.send(get(gateway.uri("/catalog/shoes"), "Authorization",
                basic("alice", "guessed"))).statusCode());
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
    }
}
