package io.portico.plugins.jsonxml;

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

/** The built jar (Jackson shaded in), dropped in a plugins folder, converts an answer. */
class JsonXmlIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        WireMockServer services = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        services.start();
        services.stubFor(get(urlEqualTo("/both")).willReturn(aResponse().withBody("<r><a x=\"1\"/><b>2</b></r>")));
        try (TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: both
                    match: { paths: [/both] }
                    url: ${SERVICES}
                    plugins:
                      - name: json-xml
                        config: { response: xml-to-json }
                """).env("SERVICES", services.baseUrl())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/both"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"a\":{\"@x\":\"1\"},\"b\":\"2\"}", response.body());
        } finally {
            services.stop();
        }
    }
}
