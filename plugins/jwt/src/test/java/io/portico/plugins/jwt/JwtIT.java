package io.portico.plugins.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.PluginJars;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The built jar (nimbus shaded in), dropped in a plugins folder, verifies tokens from a JWKS. */
class JwtIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        TestClock clock = new TestClock();
        Tokens tokens = new Tokens(clock);
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        backend.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withBody(tokens.jwks(tokens.rsa))));
        HttpClient client = HttpClient.newHttpClient();
        try (TestGateway gateway = TestGateway.builder().clock(clock).yaml("""
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: jwt
                        config:
                          issuers:
                            - issuer: https://idp.example
                              algorithms: [RS256]
                              jwks-url: ${BACKEND}/jwks
                """).env("BACKEND", backend.baseUrl())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            assertEquals(200, client.send(HttpRequest.newBuilder(gateway.uri("/api/a"))
                    .header("Authorization", "Bearer " + tokens.rs256()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, client.send(HttpRequest.newBuilder(gateway.uri("/api/a"))
                    .header("Authorization", "Bearer " + tokens.unsigned()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            backend.stop();
        }
    }
}
