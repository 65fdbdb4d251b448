package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portico.api.Phase;
import io.portico.api.Response;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behind a trusted proxy, inbound forwarding headers are extended and the client is the real one. */
class TrustedProxiesTest {
    static WireMockServer backend;
    static TestGateway gateway;
    final HttpClient client = Backends.client();

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        gateway = TestGateway.builder().yaml("""
                server:
                  trusted-proxies: [127.0.0.0/8, "::1"]
                routes:
                  - id: all
                    url: ${BACKEND}
                    plugins: [{ name: client-address }]
                """).env("BACKEND", Backends.url(backend))
                .filters(TestFilters.factory("client-address", TestFilters.NoConfig.class, Phase.EDGE,
                        config -> (exchange, chain) -> {
                            Response response = chain.proceed(exchange);
                            return response.withHeader("X-Seen-Client", exchange.clientAddress());
                        }))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @Test
    void inboundForwardingHeaders_areExtended_andTheClientIsTheFirstUntrustedHop() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri("/x"))
                .header("X-Forwarded-For", "203.0.113.9, 10.1.1.1, 127.0.0.5")
                .header("X-Forwarded-Proto", "https").header("Forwarded", "for=203.0.113.9;proto=https").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertEquals("10.1.1.1", answer.headers().firstValue("X-Seen-Client").orElseThrow());
        LoggedRequest seen = backend.findAll(getRequestedFor(urlEqualTo("/x"))).get(0);
        assertEquals("203.0.113.9, 10.1.1.1, 127.0.0.5, 127.0.0.1", seen.getHeader("X-Forwarded-For"));
        assertEquals("https", seen.getHeader("X-Forwarded-Proto"));
        assertEquals("for=203.0.113.9;proto=https, for=127.0.0.1;proto=http;host=\"127.0.0.1:" + gateway.port() + "\"",
                seen.getHeader("Forwarded"));
    }
}
