package io.portico.plugins.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Keys from PEM, an unreachable key server, and the settings refused at load. */
class JwtConfigTest {
    final TestClock clock = new TestClock();
    final Tokens tokens = new Tokens(clock);
    final HttpClient client = HttpClient.newHttpClient();

    private static String pem(byte[] encoded) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(encoded)
                + "\n-----END PUBLIC KEY-----\n";
    }

    private int status(TestGateway gateway, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/api/x")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void pemPublicKeys_rsaEcAndEd25519_verifyTheirTokens() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String yaml = """
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: jwt
                        config:
                          issuers:
                            - issuer: https://idp.example
                              algorithms: [%s]
                              public-key: |
                %s
                """;
        String[][] cases = {
            {"RS256", pem(tokens.rsa.toRSAPublicKey().getEncoded()), tokens.rs256()},
            {"ES256", pem(tokens.ec.toECPublicKey().getEncoded()), tokens.es256()},
            {"EdDSA", pem(tokens.ed25519.getPublic().getEncoded()), tokens.eddsa()}};
        try {
            for (String[] each : cases) {
                String indented = each[1].lines().map(line -> "                    " + line)
                        .reduce((a, b) -> a + "\n" + b).orElseThrow();
                try (TestGateway gateway = TestGateway.builder().clock(clock).yaml(yaml.formatted(each[0], indented))
                        .env("BACKEND", backend.baseUrl()).filters(new JwtFactory()).start()) {
                    assertEquals(200, status(gateway, each[2]), each[0]);
                    assertEquals(401, status(gateway, tokens.hs256WithThePublicKey()), each[0]);
                }
            }
        } finally {
            backend.stop();
        }
    }

    @Test
    void anIssuerWhoseKeysNeverLoaded_answers503_notAFalse401() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (TestGateway gateway = TestGateway.builder().clock(clock).yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: jwt
                        config:
                          issuers:
                            - issuer: https://idp.example
                              algorithms: [RS256]
                              jwks-url: http://127.0.0.1:%d/jwks
                          jwks-timeout: 1s
                """.formatted(closed)).filters(new JwtFactory()).start()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/x"))
                    .header("Authorization", "Bearer " + tokens.rs256()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("KEYS_UNAVAILABLE"), response.body());
        }
    }

    private static String refusal(String issuer) {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: jwt
                        config:
                          issuers:
                            - %s
                """.formatted(issuer)).filters(new JwtFactory()).start().close());
        return error.getMessage();
    }

    @Test
    void unsafeOrIncompleteIssuers_areRefusedAtLoad() {
        assertTrue(refusal("{ issuer: a, algorithms: [none], secret: \"0123456789abcdef0123456789abcdef\" }")
                .contains("'none' is not a signature algorithm"));
        assertTrue(refusal("{ issuer: a, algorithms: [HS256, RS256], jwks-url: \"http://127.0.0.1:9/jwks\" }")
                .contains("HS algorithms need a secret"));
        assertTrue(refusal("{ issuer: a, algorithms: [RS256], secret: \"0123456789abcdef0123456789abcdef\" }")
                .contains("a secret only checks HS256"));
        assertTrue(refusal("{ issuer: a, algorithms: [HS256], secret: short }").contains("at least 32 bytes"));
        assertTrue(refusal("{ issuer: a, algorithms: [RS256] }").contains("give exactly one of jwks-url, public-key and secret"));
        String pem = refusal("{ issuer: a, algorithms: [RS256], public-key: \"not a key\" }");
        assertTrue(pem.contains("issuer 'a': public-key is not a PEM public key"), pem);
        assertTrue(pem.contains("routes[0].plugins[0]"), pem);
    }
}
