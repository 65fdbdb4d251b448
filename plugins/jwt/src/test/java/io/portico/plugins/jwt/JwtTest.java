package io.portico.plugins.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.portico.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtTest {
    static final String SECRET = "a-partner-secret-of-at-least-32-bytes!";

    final TestClock clock = new TestClock();
    final Tokens tokens = new Tokens(clock);
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    WireMockServer backend;
    WireMockServer idp;
    WireMockServer attacker;
    TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = started();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("orders")));
        idp = started();
        publish(tokens.jwks(tokens.rsa, tokens.ec, tokens.ed25519Public));
        attacker = started();
        gateway = TestGateway.builder().clock(clock).yaml("""
                server:
                  # room for the 100 KB token to reach the filter, so that its own bound is what refuses it
                  limits: { max-header-size: 256KB }
                consumers:
                  - id: user-1
                    groups: [staff]
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: jwt
                        config:
                          issuers:
                            - issuer: https://idp.example
                              algorithms: [RS256, PS256, ES256, EdDSA]
                              jwks-url: ${IDP}/jwks
                              audiences: [orders]
                            - issuer: https://partner.example
                              algorithms: [HS256]
                              secret: ${SECRET}
                          groups-claim: roles
                          claims-to-headers: { email: X-User-Email }
                """).env("BACKEND", backend.baseUrl()).env("IDP", idp.baseUrl()).env("SECRET", SECRET)
                .filters(new JwtFactory()).start();
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    private void publish(String jwks) {
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(jwks)));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.stop();
        idp.stop();
        attacker.stop();
    }

    private HttpResponse<String> call(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/api/orders"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> bearer(String token) throws Exception {
        return call("Authorization", "Bearer " + token);
    }

    private void assertRefused(HttpResponse<String> response, String detail) {
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.body().contains(detail), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"portico\""));
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aValidRs256Token_reachesTheUpstreamAsItsConsumer_withClaimsAsHeaders_withoutTheToken() throws Exception {
        HttpResponse<String> response = bearer(tokens.rs256());
        assertEquals(200, response.statusCode(), response.body());
        backend.verify(getRequestedFor(urlEqualTo("/api/orders"))
                .withHeader("Authorization", absent())
                .withHeader("X-Consumer-Id", equalTo("user-1"))
                .withHeader("X-Consumer-Groups", equalTo("readers,staff"))
                .withHeader("X-User-Email", equalTo("user-1@example.com")));
    }

    @Test
    void ps256_es256_eddsa_andHs256FromTheirIssuers_areAccepted() throws Exception {
        for (String token : new String[] {tokens.ps256(), tokens.es256(), tokens.eddsa(),
            tokens.hs256(SECRET, "https://partner.example")}) {
            HttpResponse<String> response = bearer(token);
            assertEquals(200, response.statusCode(), response.body());
        }
        backend.verify(4, getRequestedFor(urlEqualTo("/api/orders")).withHeader("X-Consumer-Id", equalTo("user-1")));
    }

    @Test
    void algNone_isRefused() throws Exception {
        assertRefused(bearer(tokens.unsigned()), "the token is not signed");
    }

    @Test
    void hs256SignedWithTheRsaPublicKey_isRefused() throws Exception {
        assertRefused(bearer(tokens.hs256WithThePublicKey()), "the algorithm HS256 is not accepted from this issuer");
    }

    @Test
    void aBadSignature_isRefused() throws Exception {
        String[] parts = tokens.rs256().split("\\.");
        String otherClaims = tokens.rs256(claims -> claims.subject("admin")).split("\\.")[1];
        assertRefused(bearer(parts[0] + "." + otherClaims + "." + parts[2]), "the token's signature does not verify");
    }

    @Test
    void expired_notYetValid_wrongIssuer_wrongAudience_areRefused() throws Exception {
        assertRefused(bearer(tokens.rs256(claims -> claims.expirationTime(Date.from(clock.instant().minusSeconds(31))))),
                "the token has expired");
        assertRefused(bearer(tokens.rs256(claims -> claims.notBeforeTime(Date.from(clock.instant().plusSeconds(60))))),
                "the token is not valid yet");
        assertRefused(bearer(tokens.rs256(claims -> claims.issuer("https://evil.example"))),
                "the token's issuer is not trusted here");
        assertRefused(bearer(tokens.rs256(claims -> claims.audience("billing"))), "the token is not meant for this API");
        assertRefused(bearer(tokens.rs256(claims -> claims.expirationTime(null))), "the token has no expiry");
        // within the clock skew (30s) an expired token still passes
        assertEquals(200, bearer(tokens.rs256(claims -> claims.expirationTime(Date.from(clock.instant().minusSeconds(20)))))
                .statusCode());
    }

    @Test
    void aRememberedToken_isStillCheckedForExpiry() throws Exception {
        String token = tokens.rs256(claims -> claims.expirationTime(Date.from(clock.instant().plusSeconds(60))));
        assertEquals(200, bearer(token).statusCode());
        assertEquals(200, bearer(token).statusCode());
        clock.advance(Duration.ofSeconds(120));
        assertEquals(401, bearer(token).statusCode());
    }

    @Test
    void aNewKeyId_loadsTheJwksAgain_atMostOncePerInterval() throws Exception {
        assertEquals(200, bearer(tokens.rs256()).statusCode());
        idp.verify(1, getRequestedFor(urlEqualTo("/jwks")));
        // the provider rotates to rsa-2; the gateway's last load is 31s old, past the 30s minimum
        publish(tokens.jwks(tokens.rsa, tokens.rotated));
        clock.advance(Duration.ofSeconds(31));
        String rotated = tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(),
                tokens.claims().build(), new RSASSASigner(tokens.rotated));
        assertEquals(200, bearer(rotated).statusCode());
        idp.verify(2, getRequestedFor(urlEqualTo("/jwks")));
        // made-up key ids right after: refused without another load
        for (int i = 0; i < 5; i++) {
            String unknown = tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("made-up-" + i).build(),
                    tokens.claims().build(), new RSASSASigner(tokens.rotated));
            assertEquals(401, bearer(unknown).statusCode());
        }
        idp.verify(2, getRequestedFor(urlEqualTo("/jwks")));
    }

    @Test
    void aJwksOutage_keepsTheLoadedKeysWorking() throws Exception {
        assertEquals(200, bearer(tokens.rs256()).statusCode());
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(503)));
        clock.advance(Duration.ofMinutes(6));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, bearer(tokens.rs256()).statusCode());
        }
        assertTrue(idp.countRequestsMatching(getRequestedFor(urlEqualTo("/jwks")).build()).getCount() >= 2,
                "a refresh was attempted");
    }

    @Test
    void keysNamedByTheTokenItself_jkuAndJwk_areNeverUsed() throws Exception {
        RSAKey evil = new RSAKeyGenerator(2048).keyID("evil-1").generate();
        attacker.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withBody(tokens.jwks(evil))));
        String viaJku = tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("evil-1")
                .jwkURL(URI.create(attacker.baseUrl() + "/jwks")).build(), tokens.claims().build(), new RSASSASigner(evil));
        assertRefused(bearer(viaJku), "the token's signature does not verify");
        String viaJwk = tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(evil.toPublicJWK())
                .build(), tokens.claims().build(), new RSASSASigner(evil));
        assertRefused(bearer(viaJwk), "the token's signature does not verify");
        attacker.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aHugeToken_anEmptyBearer_andATokenInAnotherHeader_areRefused() throws Exception {
        String huge = tokens.rs256(claims -> claims.claim("padding", "x".repeat(100 * 1024)));
        assertRefused(bearer(huge), "the token is longer than 8192 bytes");
        assertRefused(call("Authorization", "Bearer"), "the bearer token is empty");
        assertRefused(call("Authorization", "Bearer "), "the bearer token is empty");
        assertRefused(call("X-Token", tokens.rs256()), "no bearer token");
        assertRefused(call("Authorization", tokens.rs256()), "no bearer token");
        backend.verify(0, getRequestedFor(anyUrl()).withHeader("Authorization", matching(".*")));
    }
}
