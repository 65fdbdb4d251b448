package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.Socket;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway answers before the client's body is in. Where it will close the connection, the
 * answer says {@code Connection: close}, so a client never sends its next request into a closing
 * connection; where the whole body had already arrived, the connection serves the next request.
 */
class UnreadBodyTest {
    static WireMockServer backend;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: small
                    match: { paths: [/small/**] }
                    url: ${BACKEND}
                    max-body-size: 1KB
                """).env("BACKEND", Backends.url(backend)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Backends.stop(gateway, backend);
    }

    @Test
    void aRefusalBeforeTheBodyIsIn_saysConnectionClose_andCloses() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            RawHttp.send(socket, "POST /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + "a".repeat(500));
            assertRefusedWithClose(RawHttp.answer(socket));
            assertEquals(-1, socket.getInputStream().read(), "the gateway closes the connection it said it would");
        }
    }

    @Test
    void aBodyCutOffWhileStreaming_saysConnectionClose() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            StringBuilder chunks = new StringBuilder("POST /small/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                chunks.append("200\r\n").append("b".repeat(512)).append("\r\n");
            }
            RawHttp.send(socket, chunks.toString()); // and never the last chunk
            assertRefusedWithClose(RawHttp.answer(socket));
        }
    }

    @Test
    void aRefusedBodyThatIsAllIn_isSkipped_andTheConnectionServesTheNextRequest() throws Exception {
        try (Socket socket = RawHttp.connect(gateway.port())) {
            RawHttp.send(socket, "POST /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + "a".repeat(2000));
            String refused = RawHttp.answer(socket);
            assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
            assertFalse(head(refused).contains("connection: close"), refused);

            RawHttp.send(socket, "GET /small/y HTTP/1.1\r\nHost: a\r\n\r\n");
            String next = RawHttp.answer(socket);
            assertTrue(next.startsWith("HTTP/1.1 200") && next.contains("ok"), next);
        }
    }

    private static void assertRefusedWithClose(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(head(answer).contains("\r\nconnection: close"), answer);
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return (end < 0 ? answer : answer.substring(0, end)).toLowerCase(Locale.ROOT);
    }
}
