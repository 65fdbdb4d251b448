package io.portico.plugins.soap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToXml;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON clients in front of SOAP 1.1 and 1.2 services (WireMock speaking SOAP), faults, and hostile answers. */
class SoapTest {
    static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    static final Path WSDL = Path.of("src/test/resources/users.wsdl").toAbsolutePath();
    static WireMockServer service;
    static TestGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static String envelope11(String body) {
        return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"" + SOAP11 + "\"><s:Header/><s:Body>" + body
                + "</s:Body></s:Envelope>";
    }

    @BeforeAll
    static void start() throws Exception {
        service = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        service.start();
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: get-user
                    match: { paths: ["/users/{id}"], methods: [GET] }
                    url: ${SERVICE}
                    plugins:
                      - name: soap
                        config:
                          action: urn:example:users/GetUser
                          path: /soap/users
                          arrays: [user.tag]
                          types: { user.id: number, user.active: boolean }
                          body: >-
                            <u:GetUser xmlns:u="urn:example:users"><u:id>{path.id}</u:id><u:lang>{query.lang:-en}</u:lang></u:GetUser>
                  - id: create-user
                    match: { paths: [/users], methods: [POST] }
                    url: ${SERVICE}
                    plugins:
                      - name: soap
                        config:
                          wsdl: ${WSDL}
                          operation: CreateUser
                          body: >-
                            <u:CreateUser xmlns:u="urn:example:users"><u:name>{body.name}</u:name><u:email>{body.contact.email}</u:email><u:by>{header.X-Operator:-nobody}</u:by></u:CreateUser>
                  - id: convert
                    match: { paths: ["/convert/{amount}"] }
                    url: ${SERVICE}
                    plugins:
                      - name: soap
                        config:
                          version: "1.2"
                          action: urn:example:convert
                          path: /soap12/convert
                          fault-status: 422
                          types: { result: number }
                          body: >-
                            <c:Convert xmlns:c="urn:example:money"><c:amount>{path.amount}</c:amount><c:to>{query.to}</c:to></c:Convert>
                """).env("SERVICE", service.baseUrl()).env("WSDL", WSDL.toString()).filters(new SoapFactory()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        service.stop();
    }

    @BeforeEach
    void reset() {
        service.resetAll();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void soap11_envelopeFromPathAndQuery_answerAsJson() throws Exception {
        service.stubFor(post(urlEqualTo("/soap/users")).willReturn(aResponse().withHeader("Content-Type", "text/xml")
                .withBody(envelope11("<r:GetUserResponse xmlns:r=\"urn:example:users\"><r:user active=\"yes\"><r:id>42</r:id>"
                        + "<r:name>Ada</r:name><r:active>true</r:active><r:tag>admin</r:tag></r:user></r:GetUserResponse>"))));

        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users/42?lang=de")));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"user\":{\"@active\":\"yes\",\"id\":42,\"name\":\"Ada\",\"active\":true,\"tag\":[\"admin\"]}}",
                response.body());
        service.verify(postRequestedFor(urlEqualTo("/soap/users"))
                .withHeader("SOAPAction", equalTo("\"urn:example:users/GetUser\""))
                .withHeader("Content-Type", equalToIgnoreCase("text/xml; charset=utf-8"))
                .withRequestBody(equalToXml("<soap:Envelope xmlns:soap=\"" + SOAP11 + "\"><soap:Body>"
                        + "<u:GetUser xmlns:u=\"urn:example:users\"><u:id>42</u:id><u:lang>de</u:lang></u:GetUser>"
                        + "</soap:Body></soap:Envelope>")));
    }

    @Test
    void aDefaultFillsAMissingQueryValue_andAMissingValueWithoutOneIs400() throws Exception {
        service.stubFor(post(anyUrl()).willReturn(aResponse().withBody(envelope11("<ok/>"))));
        assertEquals(200, send(HttpRequest.newBuilder(gateway.uri("/users/7"))).statusCode());
        service.verify(postRequestedFor(urlEqualTo("/soap/users")).withRequestBody(containing("<u:lang>en</u:lang>")));

        HttpResponse<String> missing = send(HttpRequest.newBuilder(gateway.uri("/convert/10")));
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("the request has no query value to"), missing.body());
        service.verify(0, postRequestedFor(urlEqualTo("/soap12/convert")));
    }

    @Test
    void jsonBodyFields_areXmlEscaped_andTheWsdlGivesActionAndPath() throws Exception {
        service.stubFor(post(urlEqualTo("/services/users")).willReturn(aResponse()
                .withBody(envelope11("<CreateUserResponse><id>43</id></CreateUserResponse>"))));

        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"Ada <b>&\\\" Lovelace</b>\", \"contact\": {\"email\": \"ada@example.com\"}}")));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"id\":\"43\"}", response.body());
        service.verify(postRequestedFor(urlEqualTo("/services/users"))
                .withHeader("SOAPAction", equalTo("\"urn:example:users/CreateUser\""))
                .withRequestBody(containing("<u:name>Ada &lt;b&gt;&amp;&quot; Lovelace&lt;/b&gt;</u:name>"))
                .withRequestBody(containing("<u:email>ada@example.com</u:email><u:by>nobody</u:by>")));
    }

    @Test
    void aClientBodyThatIsNotJson_is400_andNothingIsCalled() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users"))
                .POST(HttpRequest.BodyPublishers.ofString("<name>Ada</name>")));
        assertEquals(400, response.statusCode());
        service.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void soap12_actionInTheContentType_andAFaultWithHttp500_isTheConfiguredProblem() throws Exception {
        service.stubFor(post(urlEqualTo("/soap12/convert")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/soap+xml")
                .withBody("<env:Envelope xmlns:env=\"" + SOAP12 + "\"><env:Body><env:Fault>"
                        + "<env:Code><env:Value>env:Sender</env:Value></env:Code>"
                        + "<env:Reason><env:Text xml:lang=\"en\">Unknown currency XYZ</env:Text></env:Reason>"
                        + "<env:Detail><c:code xmlns:c=\"urn:example:money\">E17</c:code></env:Detail>"
                        + "</env:Fault></env:Body></env:Envelope>")));

        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/convert/10?to=XYZ")));

        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("\"detail\":\"env:Sender: Unknown currency XYZ\""), response.body());
        assertEquals("env:Sender", response.headers().firstValue("Soap-Fault-Code").orElse(""));
        service.verify(postRequestedFor(urlEqualTo("/soap12/convert"))
                .withHeader("Content-Type", equalToIgnoreCase("application/soap+xml; charset=utf-8; action=\"urn:example:convert\""))
                .withoutHeader("SOAPAction"));
    }

    @Test
    void soap12_answer_typedAsJson() throws Exception {
        service.stubFor(post(urlEqualTo("/soap12/convert")).willReturn(aResponse()
                .withBody("<env:Envelope xmlns:env=\"" + SOAP12 + "\"><env:Body><c:ConvertResponse xmlns:c=\"urn:example:money\">"
                        + "<c:result>9.25</c:result><c:currency>EUR</c:currency></c:ConvertResponse></env:Body></env:Envelope>")));
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/convert/10?to=EUR")));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"result\":9.25,\"currency\":\"EUR\"}", response.body());
    }

    @Test
    void aClientAskingForXml_getsTheBodysXml() throws Exception {
        service.stubFor(post(urlEqualTo("/soap/users")).willReturn(aResponse()
                .withBody(envelope11("<r:GetUserResponse xmlns:r=\"urn:example:users\"><r:name>Ada</r:name></r:GetUserResponse>"))));
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users/1")).header("Accept", "application/xml"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        assertEquals("<r:GetUserResponse xmlns:r=\"urn:example:users\"><r:name>Ada</r:name></r:GetUserResponse>",
                response.body());
    }

    @Test
    void hostileOrBrokenAnswers_are502() throws Exception {
        String[][] answers = {
                {"malformed", envelope11("<r:GetUserResponse xmlns:r=\"urn:x\"><r:name>Ada</r:GetUserResponse>")},
                {"external entity", "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<s:Envelope xmlns:s=\"" + SOAP11 + "\"><s:Body><r>&x;</r></s:Body></s:Envelope>"},
                {"billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                        + "<s:Envelope xmlns:s=\"" + SOAP11 + "\"><s:Body><r>&b;</r></s:Body></s:Envelope>"},
                {"deep nesting", envelope11("<a>".repeat(100) + "</a>".repeat(100))},
                {"not SOAP", "<html><body>maintenance</body></html>"},
                {"not XML", "{\"oops\": true}"},
                {"500 without a fault", null},
        };
        for (String[] answer : answers) {
            service.resetAll();
            service.stubFor(post(urlEqualTo("/soap/users")).willReturn(answer[1] == null
                    ? aResponse().withStatus(500).withBody(envelope11("<error/>")) : aResponse().withBody(answer[1])));
            HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/users/1")));
            assertEquals(502, response.statusCode(), answer[0] + ": " + response.body());
            assertTrue(response.body().contains("UPSTREAM_BODY_INVALID"), answer[0] + ": " + response.body());
            assertTrue(!response.body().contains("root:"), answer[0] + " leaked a file: " + response.body());
        }
    }

    @Test
    void aTemplateThatIsNotXml_isRefusedAtLoad() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: soap
                        config: { body: "<GetUser><id>{path.id}</GetUser>" }
                """).filters(new SoapFactory()).start().close());
        assertTrue(error.getMessage().contains("body") && error.getMessage().contains("not well-formed XML"), error.getMessage());
    }

    @Test
    void anOperationTheWsdlLacks_isRefusedAtLoad_namingTheOnesItHas() {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml("""
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: soap
                        config: { wsdl: "${WSDL}", operation: DeleteUser, body: "<DeleteUser/>" }
                """).env("WSDL", WSDL.toString()).filters(new SoapFactory()).start().close());
        assertTrue(error.getMessage().contains("operation") && error.getMessage().contains("GetUser, CreateUser"),
                error.getMessage());
    }
}
