package io.portico.plugins.jsontransform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

/** The built jar (Jackson shaded in), dropped in a plugins folder, changes an answer. */
class JsonTransformIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(get(urlEqualTo("/me")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\":1,\"password\":\"x\"}")));
        try (TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: me
                    match: { paths: [/me] }
                    url: ${BACKEND}
                    plugins:
                      - name: json-transform
                        config: { response: { remove: [password], add: { via: "{route.id}" } } }
                """).env("BACKEND", backend.baseUrl())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/me"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"id\":1,\"via\":\"me\"}", response.body());
        } finally {
            backend.stop();
        }
    }
}
