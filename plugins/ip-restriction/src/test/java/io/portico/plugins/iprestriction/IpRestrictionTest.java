package io.portico.plugins.iprestriction;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IpRestrictionTest {
    static WireMockServer backend;
    static TestGateway direct;
    static TestGateway behindProxy;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String ROUTES = """
            routes:
              - id: loopback-only
                match: { paths: [/loopback/**] }
                url: ${BACKEND}
                plugins:
                  - name: ip-restriction
                    config: { allow: [127.0.0.1/32] }
              - id: loopback-denied
                match: { paths: [/denied/**] }
                url: ${BACKEND}
                plugins:
                  - name: ip-restriction
                    config: { deny: [127.0.0.0/8] }
              - id: office
                match: { paths: [/office/**] }
                url: ${BACKEND}
                plugins:
                  - name: ip-restriction
                    config:
                      allow: [10.0.0.0/8, "2001:db8::/32"]
                      deny: [10.9.9.9]
            """;

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String url = "http://127.0.0.1:" + backend.port();
        direct = TestGateway.builder().yaml(ROUTES).env("BACKEND", url).filters(new IpRestrictionFactory()).start();
        behindProxy = TestGateway.builder().yaml("server:\n  trusted-proxies: [127.0.0.1]\n" + ROUTES)
                .env("BACKEND", url).filters(new IpRestrictionFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        direct.close();
        behindProxy.close();
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetRequests();
    }

    @Test
    void anAllowedAddressPasses() throws Exception {
        assertEquals(200, get(direct, "/loopback/x", null).statusCode());
    }

    @Test
    void aDeniedAddressGetsAProblemAndNothingIsForwarded() throws Exception {
        HttpResponse<String> response = get(direct, "/denied/x", null);
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("CLIENT_ADDRESS_REFUSED"), response.body());
        assertTrue(response.body().contains("request_id"), response.body());
        assertEquals(0, backend.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aForwardedForHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
        // the client claims an office address; the gateway trusts no proxy, so it sees 127.0.0.1
        assertEquals(403, get(direct, "/office/x", "10.1.2.3").statusCode());
        assertEquals(0, backend.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void behindATrustedProxyTheForwardedAddressDecides() throws Exception {
        assertEquals(200, get(behindProxy, "/office/x", "10.1.2.3").statusCode());
        assertEquals(200, get(behindProxy, "/office/x", "2001:db8::5").statusCode());
        assertEquals(403, get(behindProxy, "/office/x", "10.9.9.9").statusCode(), "deny wins over allow");
        assertEquals(403, get(behindProxy, "/office/x", "192.168.1.1").statusCode());
        assertEquals(403, get(behindProxy, "/office/x", "2001:db9::1").statusCode());
    }

    @Test
    void rangesMatchOnTheirPrefixOnly() {
        AddressRange range = AddressRange.parse("192.168.4.0/22");
        assertTrue(range.contains(AddressRange.literal("192.168.7.255")));
        assertFalse(range.contains(AddressRange.literal("192.168.8.0")));
        assertFalse(range.contains(AddressRange.literal("::1")), "an IPv6 address is never in an IPv4 range");
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(AddressRange.literal("8.8.8.8")));
        assertTrue(AddressRange.parse("fe80::/10").contains(AddressRange.literal("[febf::1]")));
        assertTrue(AddressRange.parse("10.0.0.0/8").contains(AddressRange.literal("::ffff:10.1.1.1")));
    }

    @Test
    void aBadRangeOrAHostNameIsRefusedAtLoadWithItsLine() {
        for (String bad : new String[] {"10.0.0.0/33", "example.com", "10.0.0/8", "::1/129"}) {
            ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                    routes:
                      - id: r
                        match: { paths: [/r] }
                        url: http://127.0.0.1:9
                        plugins:
                          - name: ip-restriction
                            config:
                              allow: ["BAD"]
                    """.replace("BAD", bad)).filters(new IpRestrictionFactory()).start().close());
            assertTrue(error.getMessage().contains("routes[0].plugins[0].config.allow"), error.getMessage());
            assertTrue(error.getMessage().contains(bad), error.getMessage());
        }
    }

    private HttpResponse<String> get(TestGateway gateway, String path, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
