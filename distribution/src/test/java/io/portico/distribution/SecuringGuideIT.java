package io.portico.distribution;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.DocExamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/guides/securing-an-api.md, run as its reader runs it: the zip, the guide's configuration, its requests. */
class SecuringGuideIT {
    @TempDir
    Path folder;

    @Test
    void theGuidesChecksAnswerAsTheGuideSays() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("orders")));
        String guide = Files.readString(Path.of("..", "docs", "guides", "securing-an-api.md"));
        String yaml = DocExamples.yamlBlocks(guide).stream().filter(block -> block.contains("routes:")).findFirst()
                .orElseThrow().replace("http://127.0.0.1:9000", "http://127.0.0.1:" + backend.port());
        Path config = folder.resolve("portico.yaml");
        Files.writeString(config, "server:\n  port: ${PORTICO_PORT}\n" + yaml);
        HttpClient client = HttpClient.newHttpClient();
        try (Installed portico = Installed.unpack(folder).start(Map.of(), "-c", config.toString())) {
            String base = "http://127.0.0.1:" + portico.port;

            HttpResponse<String> nobody = client.send(HttpRequest.newBuilder(URI.create(base + "/orders/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, nobody.statusCode(), portico.log());
            assertEquals("Basic realm=\"portico\", charset=\"UTF-8\"",
                    nobody.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(nobody.body().contains("\"code\":\"CREDENTIAL_MISSING\""), nobody.body());

            HttpResponse<String> partner = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("X-Api-Key", "pk_example-billing-key").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, partner.statusCode(), partner.body());
            assertTrue(partner.body().contains("consumer 'acme-partner' may not POST here; it needs one of the groups admin"),
                    partner.body());

            String alice = "Basic " + Base64.getEncoder().encodeToString("alice:change me".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> admin = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("Authorization", alice).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, admin.statusCode(), admin.body());
            backend.verify(postRequestedFor(urlEqualTo("/orders")).withHeader("X-Consumer-Id", equalTo("alice"))
                    .withHeader("X-Consumer-Groups", equalTo("admin,staff")).withHeader("Authorization", absent()));

            HttpResponse<String> stranger = client.send(HttpRequest.newBuilder(URI.create(base + "/catalog/shoes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stranger.statusCode(), stranger.body());
            backend.verify(getRequestedFor(urlEqualTo("/catalog/shoes")).withHeader("X-Consumer-Id", equalTo("guest"))
                    .withHeader("X-Anonymous-Consumer", equalTo("true")));
        } finally {
            backend.stop();
        }
    }
}
