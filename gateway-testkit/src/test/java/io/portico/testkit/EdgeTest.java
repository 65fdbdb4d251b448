package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bytes a stranger may send: each gets a clear 4xx problem and nothing reaches the upstream. */
class EdgeTest {
    static WireMockServer backend;
    static TestGateway gateway;
    static Path accessLog;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        accessLog = Files.createTempFile("portico-edge-access", ".log");
        gateway = TestGateway.builder().yaml("""
                server:
                  access-log: { path: "${ACCESS_LOG}" }
                  limits:
                    max-header-size: 4KB
                    max-uri-length: 1KB
                routes:
                  - id: small
                    match: { paths: [/small/**] }
                    url: ${BACKEND}
                    max-body-size: 1KB
                  - id: all
                    url: ${BACKEND}
                """).env("BACKEND", Backends.url(backend)).env("ACCESS_LOG", accessLog.toString()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
        Files.deleteIfExists(accessLog);
    }

    @BeforeEach
    void reset() {
        backend.resetAll();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private void assertRefused(String answer, int status) throws Exception {
        assertTrue(answer.startsWith("HTTP/1.1 " + status), "expected " + status + " but got: " + answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.toLowerCase().contains("x-request-id:"), answer);
        backend.verify(0, anyRequestedFor(anyUrl()));
        assertLogged(answer, status);
    }

    /** The access log has one line for the answer's request id, with its status. */
    private static String assertLogged(String answer, int status) throws Exception {
        Matcher id = Pattern.compile("(?i)x-request-id: (\\S+)").matcher(answer);
        assertTrue(id.find(), answer);
        String key = "\"request_id\":\"" + id.group(1) + "\"";
        List<String> lines = AccessLogLines.containing(accessLog, key);
        assertEquals(1, lines.size(), "access-log lines for " + key + ": " + lines);
        assertTrue(lines.get(0).contains("\"status\":" + status + ","), lines.get(0));
        assertTrue(lines.get(0).contains("\"client\":\"127.0.0.1\""), lines.get(0));
        return lines.get(0);
    }

    @Test
    void connectionClose_isAnsweredWhole_thenTheGatewayCloses() throws Exception {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello")));
        for (String request : new String[] {"GET /closing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                "GET /old HTTP/1.0\r\nHost: a\r\n\r\n"}) {
            try (Socket socket = RawHttp.connect(gateway.port())) {
                RawHttp.send(socket, request);
                // to the end of the stream: a connection left open fails here after the socket's 5 s
                String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(all.startsWith("HTTP/1.1 200") && all.endsWith("\r\n\r\nhello"), all);
                // HTTP/1.0 closes unless asked not to; HTTP/1.1 is told
                assertTrue(request.contains("HTTP/1.0") || all.toLowerCase().contains("connection: close"), all);
            }
        }
        backend.verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void requestPipelinedAfterConnectionClose_isNotServed() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            RawHttp.send(socket, "GET /first HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.startsWith("HTTP/1.1 200") && all.endsWith("\r\n\r\nok"), all);
            assertTrue(RawHttp.occurrences(all, "HTTP/1.1 ") == 1, all);
        }
        backend.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void contentLengthWithTransferEncoding_is400_andNeverForwarded() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(answer, 400);
    }

    @Test
    void twoDifferentContentLengths_are400() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                + "Content-Length: 5\r\n\r\nabcde");
        assertRefused(answer, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /x HTTP/1.1\r\nHost: a\r\nBad Name: v\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\n folded: v\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /x HTTP/1.1\r\n\r\n",
    })
    void malformedRequests_areRefusedWith4xx(String request) throws Exception {
        String answer = RawHttp.exchange(gateway.port(), request);
        assertTrue(answer.matches("(?s)HTTP/1\\.1 4\\d\\d .*"), "got: " + answer);
        backend.verify(0, anyRequestedFor(anyUrl()));
        assertLogged(answer, Integer.parseInt(answer.substring(9, 12)));
    }

    @Test
    void unreadableRequestLine_is400_loggedWithoutMethodOrPath() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "GARBAGE\r\n\r\n");
        assertRefused(answer, 400);
        String line = assertLogged(answer, 400);
        assertTrue(line.contains("\"method\":null,\"path\":null,\"route\":null"), line);
    }

    @Test
    void unknownHttpVersion_is505Problem() throws Exception {
        assertRefused(RawHttp.exchange(gateway.port(), "GET /x HTTP/9.9\r\nHost: a\r\n\r\n"), 505);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/%2e%2e/etc/passwd", "/a/%2F..%2Fb", "/a%5c..%5cb", "/a/%00/b", "/../etc/passwd"})
    void ambiguousPaths_areRefused(String path) throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(answer, 400);
    }

    @Test
    void headersTooLarge_are431() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(6000)
                + "\r\n\r\n");
        assertRefused(answer, 431);
    }

    @Test
    void uriTooLong_is414() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "GET /x?q=" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(answer, 414);
    }

    @Test
    void declaredBodyOverTheRouteLimit_is413_beforeForwarding() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "POST /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n"
                + "a".repeat(2000));
        assertRefused(answer, 413);
    }

    @Test
    void chunkedBodyOverTheRouteLimit_is413_whileStreaming() throws Exception {
        StringBuilder request = new StringBuilder("POST /small/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4; i++) {
            request.append("200\r\n").append("b".repeat(512)).append("\r\n");
        }
        request.append("0\r\n\r\n");
        String answer = RawHttp.exchange(gateway.port(), request.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        // the upstream may have seen the start of the stream, but never a complete request body
        backend.findAll(anyRequestedFor(anyUrl())).forEach(seen -> assertTrue(seen.getBody().length <= 1024));
    }
}
