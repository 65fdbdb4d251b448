package io.portico.plugins.jsonxml;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToXml;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JSON client in front of an XML-only backend, and the XML attacks a converter must refuse. */
class JsonXmlTest {
    static WireMockServer backend;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String XXE = """
            <?xml version="1.0"?>
            <!DOCTYPE order [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <order><note>&secret;</note></order>
            """;
    static final String LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <lolz>&lol3;</lolz>
            """;

    @BeforeAll
    static void start() throws Exception {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\"?><order id=\"17\"><status>accepted</status><total>12.50</total>"
                        + "<paid>false</paid><line><sku>A-1</sku></line></order>")));
        backend.stubFor(get(urlEqualTo("/xxe")).willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(XXE)));
        backend.stubFor(get(urlEqualTo("/laughs")).willReturn(aResponse().withBody(LAUGHS)));
        backend.stubFor(get(urlEqualTo("/deep")).willReturn(aResponse().withBody("<a>".repeat(100) + "x" + "</a>".repeat(100))));
        backend.stubFor(get(urlEqualTo("/broken")).willReturn(aResponse().withBody("<order><status>accepted</order>")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: orders
                    match: { paths: [/orders, /xxe, /laughs, /deep, /broken] }
                    url: ${BACKEND}
                    plugins:
                      - name: json-xml
                        config:
                          request: json-to-xml
                          response: xml-to-json
                          root: order
                          namespace: "urn:example:orders"
                          arrays: [line]
                          types: { total: number, paid: boolean }
                          max-body: 4KB
                """).env("BACKEND", backend.baseUrl()).filters(new JsonXmlFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.stop();
    }

    @BeforeEach
    void forget() {
        backend.resetRequests();
    }

    private static HttpResponse<String> send(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> fetch(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonGoesUpAsXml_andXmlComesBackAsTypedJson() throws Exception {
        HttpResponse<String> response = send("/orders", "{\"@currency\":\"EUR\",\"customer\":\"Ada\",\"line\":[{\"sku\":\"A-1\",\"qty\":2}]}");
        assertEquals(200, response.statusCode(), response.body());
        backend.verify(postRequestedFor(urlEqualTo("/orders"))
                .withHeader("Content-Type", equalTo("application/xml; charset=utf-8"))
                .withRequestBody(equalToXml("<order xmlns=\"urn:example:orders\" currency=\"EUR\"><customer>Ada</customer>"
                        + "<line><sku>A-1</sku><qty>2</qty></line></order>")));
        assertEquals("{\"@id\":\"17\",\"status\":\"accepted\",\"total\":12.5,\"paid\":false,\"line\":[{\"sku\":\"A-1\"}]}",
                response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals(String.valueOf(response.body().length()), response.headers().firstValue("Content-Length").orElse(null));
    }

    @Test
    void malformedJson_is400_andNeverForwarded() throws Exception {
        HttpResponse<String> response = send("/orders", "{\"customer\": ");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("the request body cannot be converted: the JSON is malformed"), response.body());
        HttpResponse<String> badName = send("/orders", "{\"1st\": \"x\"}");
        assertEquals(400, badName.statusCode());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBodyOverTheLimit_is413() throws Exception {
        assertEquals(413, send("/orders", "{\"x\":\"" + "y".repeat(5000) + "\"}").statusCode());
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void externalEntities_billionLaughs_deepNesting_andBrokenXml_are502_withNothingLeaked() throws Exception {
        for (String path : new String[] {"/xxe", "/laughs", "/deep", "/broken"}) {
            HttpResponse<String> response = fetch(path);
            assertEquals(502, response.statusCode(), path + ": " + response.body());
            assertTrue(response.body().contains("UPSTREAM_BODY_INVALID"), response.body());
            assertFalse(response.body().contains("root:"), "no file content in " + response.body());
            assertFalse(response.body().contains("lollol"), response.body());
        }
    }
}
