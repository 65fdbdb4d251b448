package io.portico.plugins.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.portico.plugins.auth.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AclTest {
    static Fixtures fixtures;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixtures = new Fixtures();
        gateway = fixtures.gateway("""
                routes:
                  - id: orders
                    match: { paths: [/orders/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                      - name: acl
                        config:
                          deny: [banned]
                          rules:
                            - methods: [GET, HEAD]
                            - methods: [POST, PUT, DELETE]
                              groups: [admin]
                  - id: staff-only
                    match: { paths: [/staff/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                      - name: acl
                        config: { allow: [staff] }
                  - id: tokens
                    match: { paths: [/tokens/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: token-stand-in
                      - name: acl
                        config:
                          rules:
                            - methods: [GET]
                              scopes: [orders:read]
                            - methods: [POST]
                              scopes: [orders:read, orders:write]
                              claims: { tenant: acme }
                """).filters(new TokenStandInFactory()).start();
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

    private int call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = get(gateway.uri(path), headers).method(method, HttpRequest.BodyPublishers.noBody());
        return fixtures.send(request).statusCode();
    }

    @Test
    void anyoneAuthenticatedMayRead_onlyAdminsMayWrite() throws Exception {
        assertEquals(200, call("GET", "/orders/1", "X-Api-Key", Fixtures.BOB_KEY));
        assertEquals(200, call("GET", "/orders/1", "X-Api-Key", Fixtures.ALICE_KEY));
        assertEquals(200, call("POST", "/orders", "X-Api-Key", Fixtures.ALICE_KEY));
        assertEquals(200, call("DELETE", "/orders/1", "X-Api-Key", Fixtures.ALICE_KEY));
        fixtures.backend.resetRequests();
        assertEquals(403, call("POST", "/orders", "X-Api-Key", Fixtures.BOB_KEY));
        assertEquals(403, call("DELETE", "/orders/1", "X-Api-Key", Fixtures.BOB_KEY));
        assertEquals(403, call("PATCH", "/orders/1", "X-Api-Key", Fixtures.ALICE_KEY), "no rule names PATCH");
        assertEquals(403, call("GET", "/orders/1", "X-Api-Key", Fixtures.MALLORY_KEY), "a denied group");
        assertEquals(401, call("GET", "/orders/1"));
        fixtures.backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theForbiddenAnswer_saysWhatIsMissing() throws Exception {
        HttpResponse<String> response = fixtures.send(get(gateway.uri("/orders/1"), "X-Api-Key", Fixtures.BOB_KEY)
                .method("PUT", HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("consumer 'bob' may not PUT here; it needs one of the groups admin"),
                response.body());
    }

    @Test
    void allow_admitsItsGroupsForEveryMethod() throws Exception {
        assertEquals(200, call("DELETE", "/staff/x", "X-Api-Key", Fixtures.BOB_KEY));
        assertEquals(403, call("GET", "/staff/x", "X-Api-Key", Fixtures.MALLORY_KEY));
    }

    @Test
    void scopesAndClaims_fromATokenDecide() throws Exception {
        assertEquals(200, call("GET", "/tokens/1", "X-Test-Subject", "svc", "X-Test-Scope", "orders:read profile"));
        assertEquals(403, call("GET", "/tokens/1", "X-Test-Subject", "svc", "X-Test-Scope", "profile"));
        assertEquals(401, call("GET", "/tokens/1"));
        assertEquals(200, call("POST", "/tokens", "X-Test-Subject", "svc", "X-Test-Scope", "orders:write orders:read",
                "X-Test-Tenant", "acme"));
        assertEquals(403, call("POST", "/tokens", "X-Test-Subject", "svc", "X-Test-Scope", "orders:write orders:read",
                "X-Test-Tenant", "globex"));
        HttpResponse<String> missingScope = fixtures.send(get(gateway.uri("/tokens"), "X-Test-Subject", "svc",
                "X-Test-Scope", "orders:read", "X-Test-Tenant", "acme").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, missingScope.statusCode());
        assertEquals("Bearer error=\"insufficient_scope\", scope=\"orders:read orders:write\"",
                missingScope.headers().firstValue("WWW-Authenticate").orElse(null));
    }

}
