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
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    static Fixtures fixtures;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixtures = new Fixtures();
        gateway = fixtures.gateway("""
                routes:
                  - id: reports
                    match: { paths: [/reports/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: basic-auth
                        config: { realm: reports }
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
    void bcryptAndPbkdf2Passwords_letTheirConsumersIn_withoutTheCredentialUpstream() throws Exception {
        assertEquals(200, fixtures.send(get(gateway.uri("/reports/1"), "Authorization",
                basic("alice", "alice's password"))).statusCode());
        fixtures.backend.verify(getRequestedFor(urlEqualTo("/reports/1"))
                .withHeader("Authorization", absent()).withHeader("X-Consumer-Id", equalTo("alice")));
        // twice: the second answer comes from the remembered verification, and must be the same
        for (int i = 0; i < 2; i++) {
            assertEquals(200, fixtures.send(get(gateway.uri("/reports/2"), "Authorization",
                    basic("bob", "bob's password"))).statusCode());
        }
        fixtures.backend.verify(2, getRequestedFor(urlEqualTo("/reports/2")).withHeader("X-Consumer-Id", equalTo("bob")));
    }

    @Test
    void wrongPasswords_unknownUsers_andMalformedCredentials_are401WithTheRealm() throws Exception {
        // a good password first, so that a remembered verification cannot let a wrong one through
        assertEquals(200, fixtures.send(get(gateway.uri("/reports/x"), "Authorization",
                basic("alice", "alice's password"))).statusCode());
        fixtures.backend.resetRequests();
        String[] wrong = {basic("alice", "alice's password "), basic("alice", ""), basic("nobody", "alice's password"),
            basic("bob", "alice's password"), "Basic !!not-base64!!", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("no-colon".getBytes()), "Bearer abc.def.ghi", "Basic"};
        for (String authorization : wrong) {
            HttpResponse<String> response = fixtures.send(get(gateway.uri("/reports/x"), "Authorization", authorization));
            assertEquals(401, response.statusCode(), authorization);
            assertEquals("Basic realm=\"reports\", charset=\"UTF-8\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        assertEquals(401, fixtures.send(get(gateway.uri("/reports/x"))).statusCode());
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPasswordLongerThanBcryptReads_doesNotMatchOnItsFirst72Bytes() throws Exception {
        String longPassword = "p".repeat(72);
        try (TestGateway longOne = TestGateway.builder().yaml("""
                consumers:
                  - id: carol
                    credentials:
                      basic-auth: [{ username: carol, password: "${CAROL}" }]
                routes:
                  - id: r
                    match: { paths: [/r/**] }
                    url: ${BACKEND}
                    plugins: [{ name: basic-auth }]
                """).env("BACKEND", "http://127.0.0.1:" + fixtures.backend.port())
                .env("CAROL", Fixtures.bcrypt(longPassword)).filters(new BasicAuthFactory()).start()) {
            assertEquals(200, fixtures.send(get(longOne.uri("/r/1"), "Authorization", basic("carol", longPassword)))
                    .statusCode());
            assertEquals(401, fixtures.send(get(longOne.uri("/r/1"), "Authorization",
                    basic("carol", longPassword + "extra"))).statusCode());
        }
    }
}
