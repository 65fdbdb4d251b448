package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.Phase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension as a plugin author uses it: a backend started first, then the gateway in front. */
class PorticoExtensionTest {
    static WireMockServer backend;

    @RegisterExtension
    @Order(1)
    static org.junit.jupiter.api.extension.BeforeAllCallback backendFirst = context -> {
        backend = Backends.start();
        backend.stubFor(get(urlEqualTo("/hello/x")).willReturn(aResponse().withBody("hi")));
    };

    @RegisterExtension
    @Order(2)
    static PorticoExtension portico = PorticoExtension.of(gateway -> gateway
            .yaml("""
                    routes:
                      - id: hello
                        match: { paths: [/hello/**] }
                        url: ${BACKEND}
                        plugins: [{ name: edge-trail, config: { mark: seen } }]
                    """)
            .env("BACKEND", Backends.url(backend))
            .filters(TestFilters.trail("edge-trail", Phase.EDGE)));

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @Test
    void theGatewayRunsAroundTheTestsAndTheClientReachesIt() throws Exception {
        var response = portico.get("/hello/x");
        assertEquals(200, response.statusCode());
        assertEquals("hi", response.body());
        assertEquals("seen", response.headers().firstValue("X-Trail").orElse(null), "the filter ran");
    }
}
