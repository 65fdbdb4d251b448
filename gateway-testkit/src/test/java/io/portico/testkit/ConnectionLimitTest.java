package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code server.limits.max-connections} holds open client connections to the limit, and counts
 * client connections only: the gateway opening and closing upstream connections never moves it.
 */
class ConnectionLimitTest {

    @Test
    void theLimitHolds_afterUpstreamConnectionsOpenedAndClosed() throws Exception {
        WireMockServer backend = Backends.start();
        // every answer closes its upstream connection, so each request opens and closes one
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Connection", "close")
                .withBody("ok")));
        try (TestGateway gateway = oneConnectionAtATime(backend)) {
            for (int i = 0; i < 3; i++) {
                String answer = RawHttp.exchange(gateway.port(), "GET /" + i + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
            try (Socket first = new Socket("127.0.0.1", gateway.port());
                 Socket second = new Socket("127.0.0.1", gateway.port())) {
                first.setSoTimeout(5000);
                send(first, "GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
                String firstAnswer = readHead(first.getInputStream());
                assertTrue(firstAnswer.startsWith("HTTP/1.1 200"), firstAnswer);

                // the first connection is the one allowed: the second waits, unaccepted, until it closes
                second.setSoTimeout(1000);
                send(second, "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThrows(SocketTimeoutException.class, () -> second.getInputStream().read(),
                        "a second client connection was served while the first was open");
                first.close();
                second.setSoTimeout(5000);
                String secondAnswer = readHead(second.getInputStream());
                assertTrue(secondAnswer.startsWith("HTTP/1.1 200"), secondAnswer);
            }
        } finally {
            backend.stop();
        }
    }

    @Test
    void aConnectionAnsweredWithConnectionClose_isClosedByTheGateway_evenWhileTheClientKeepsItsEnd() throws Exception {
        WireMockServer backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (TestGateway gateway = oneConnectionAtATime(backend);
             Socket first = new Socket("127.0.0.1", gateway.port());
             Socket second = new Socket("127.0.0.1", gateway.port())) {
            first.setSoTimeout(5000);
            send(first, "GET /first HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String firstAnswer = new String(first.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(firstAnswer.startsWith("HTTP/1.1 200") && firstAnswer.endsWith("ok"), firstAnswer);
            // the first client keeps its end open: only the gateway closing its own frees the place
            second.setSoTimeout(5000);
            send(second, "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            String secondAnswer = readHead(second.getInputStream());
            assertTrue(secondAnswer.startsWith("HTTP/1.1 200"), secondAnswer);
        } finally {
            backend.stop();
        }
    }

    private static TestGateway oneConnectionAtATime(WireMockServer backend) throws Exception {
        return TestGateway.builder().yaml("""
                server:
                  limits:
                    max-connections: 1
                routes:
                  - id: all
                    url: ${BACKEND}
                """).env("BACKEND", Backends.url(backend)).start();
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int read = in.read();
            if (read < 0) {
                break;
            }
            head.append((char) read);
        }
        return head.toString();
    }
}
