package io.portico.plugins.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A WireMock upstream, a test clock, and a gateway with one cached route {@code /r/**} per test. */
abstract class CacheTestSupport {
    WireMockServer backend;
    TestGateway gateway;
    final TestClock clock = new TestClock();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startBackend() {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        backend.stop();
    }

    /** Starts the gateway with the cache configured by {@code config} (a YAML flow mapping). */
    void start(String config) throws Exception {
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: cached
                    match: { paths: [/r/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: header-consumer
                      - name: cache
                        config: %s
                """.formatted(config)).env("BACKEND", "http://127.0.0.1:" + backend.port())
                .clock(clock).filters(new CacheFactory(), new HeaderConsumerFactory()).start();
    }

    HttpResponse<String> request(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    int upstreamCalls() {
        return backend.findAll(anyRequestedFor(anyUrl())).size();
    }

    static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }
}
