package io.portico.plugins.requestsizelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.PluginJars;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The built jar, dropped in a plugins folder, is found by PF4J and works. */
class RequestSizeLimitIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: uploads
                    match: { paths: [/uploads/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: request-size-limit
                        config: { max: 10B }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, client.send(HttpRequest.newBuilder(gateway.uri("/uploads/a"))
                    .POST(HttpRequest.BodyPublishers.ofString("0123456789")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(413, client.send(HttpRequest.newBuilder(gateway.uri("/uploads/a"))
                    .POST(HttpRequest.BodyPublishers.ofString("0123456789A")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            backend.stop();
        }
    }
}
