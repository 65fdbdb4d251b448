package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries go to another target, and only when they cannot repeat a request's effect. */
class RetryTest {
    WireMockServer good;
    WireMockServer broken;
    int closedPort;
    final HttpClient client = Backends.client();

    @BeforeEach
    void start() throws Exception {
        good = Backends.start();
        good.stubFor(any(anyUrl()).willReturn(aResponse().withBody("good")));
        broken = Backends.start();
        broken.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        good.stop();
        broken.stop();
    }

    TestGateway gateway(String firstTarget) throws Exception {
        // round robin starts at the first target, so the first request of a test meets it
        return TestGateway.builder().yaml("""
                upstreams:
                  pool:
                    targets: [{ url: "%s" }, { url: "${GOOD}" }]
                    retries: 1
                routes:
                  - id: all
                    upstream: pool
                """.formatted(firstTarget)).env("GOOD", Backends.url(good)).start();
    }

    int send(TestGateway gateway, String method) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("payload");
        return client.send(HttpRequest.newBuilder(gateway.uri("/x")).method(method, body).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void refusedConnection_isRetriedOnAnotherTarget_evenForPost() throws Exception {
        try (TestGateway gateway = gateway("http://127.0.0.1:" + closedPort)) {
            assertEquals(200, send(gateway, "POST"));
            assertEquals(200, send(gateway, "POST"));
            good.verify(2, anyRequestedFor(anyUrl()));
        }
    }

    @Test
    void resetAfterSending_isRetriedForGet_butNotForPost_whoseBodyIsAlreadySent() throws Exception {
        try (TestGateway gateway = gateway(Backends.url(broken))) {
            assertEquals(502, send(gateway, "POST"));
            good.verify(0, anyRequestedFor(anyUrl()));
            assertEquals(200, send(gateway, "GET"));
            good.verify(1, anyRequestedFor(anyUrl()));
        }
    }
}
