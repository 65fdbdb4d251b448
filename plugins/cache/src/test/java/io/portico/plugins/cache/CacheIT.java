package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
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

/** The built jar (Caffeine relocated inside it), dropped in a plugins folder, caches. */
class CacheIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder_andCaches() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(get(urlEqualTo("/c/a")).willReturn(aResponse()
                .withHeader("Cache-Control", "max-age=60").withBody("cached")));
        try (TestGateway gateway = TestGateway.builder().yaml("""
                routes:
                  - id: cached
                    match: { paths: [/c/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: cache
                        config: { max-size: 1MB, max-entry-size: 64KB }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(gateway.uri("/c/a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(gateway.uri("/c/a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("cached", second.body());
            assertEquals(1, backend.findAll(anyRequestedFor(anyUrl())).size());
        } finally {
            backend.stop();
        }
    }
}
