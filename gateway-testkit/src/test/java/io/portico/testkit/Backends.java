package io.portico.testkit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpClient;
import java.time.Duration;

/** Real HTTP upstreams for tests: WireMock on a free port of 127.0.0.1. */
final class Backends {
    private Backends() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(16).asynchronousResponseEnabled(false));
        server.start();
        return server;
    }

    static String url(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** Stops a test's gateway (if it started) and then its backend, as every {@code @AfterAll} does. */
    static void stop(TestGateway gateway, WireMockServer backend) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        backend.stop();
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
