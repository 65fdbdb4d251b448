package io.portico.plugins.requestsizelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestSizeLimitTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("stored")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: uploads
                    match: { paths: [/uploads/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: request-size-limit
                        config: { max: 1KB }
                """).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .filters(new RequestSizeLimitFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetRequests();
    }

    @Test
    void aBodyWithinTheLimitPasses() throws Exception {
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofByteArray(new byte[1024]));
        assertEquals(200, response.statusCode());
        assertEquals("stored", response.body());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeForwarding() throws Exception {
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofByteArray(new byte[1025]));
        assertEquals(413, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("\"request_id\""), response.body());
        assertEquals(0, backend.findAll(anyRequestedFor(anyUrl())).size(), "nothing reaches the upstream");
    }

    @Test
    void aChunkedBodyIsCutOffWhileStreaming() throws Exception {
        // no Content-Length: the gateway only learns the size by counting
        byte[] chunk = new byte[512];
        Arrays.fill(chunk, (byte) 'x');
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            private int sent;

            @Override
            public int read() {
                return sent++ < 64 * 1024 ? 'x' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (sent >= 64 * 1024) {
                    return -1;
                }
                int count = Math.min(length, chunk.length);
                System.arraycopy(chunk, 0, buffer, offset, count);
                sent += count;
                return count;
            }
        }));
        assertEquals(413, response.statusCode());
    }

    @Test
    void aMissingMaxIsAConfigErrorWithItsLine() {
        ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
                TestGateway.builder().yaml("""
                        routes:
                          - id: uploads
                            match: { paths: [/uploads/**] }
                            url: http://127.0.0.1:9
                            plugins:
                              - name: request-size-limit
                                config: {}
                        """).filters(new RequestSizeLimitFactory()).start().close());
        assertTrue(error.getMessage().contains("routes[0].plugins[0].config.max"), error.getMessage());
        assertTrue(error.getMessage().contains("line 7"), error.getMessage());
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/uploads/file")).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
