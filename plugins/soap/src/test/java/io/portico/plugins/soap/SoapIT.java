package io.portico.plugins.soap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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

/** The built jar (Jackson shaded in), dropped in a plugins folder, calls a SOAP service. */
class SoapIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        WireMockServer service = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        service.start();
        service.stubFor(post(urlEqualTo("/soap")).willReturn(aResponse().withBody(SoapTest.envelope11(
                "<PingResponse><pong>1</pong></PingResponse>"))));
        try (TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: ping
                    match: { paths: [/ping] }
                    url: ${SERVICE}
                    plugins:
                      - name: soap
                        config: { path: /soap, action: urn:ping, body: "<Ping/>" }
                """).env("SERVICE", service.baseUrl())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/ping"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"pong\":\"1\"}", response.body());
        } finally {
            service.stop();
        }
    }
}
