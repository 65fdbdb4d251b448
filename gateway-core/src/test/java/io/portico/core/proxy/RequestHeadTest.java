package io.portico.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.portico.api.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static String text(ByteBuffer head) {
        byte[] bytes = new byte[head.remaining()];
        head.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesTheRequestLine_theTargetsHost_theHeaders_andTheBodysFraming() {
        Headers headers = Headers.of("Accept", "*/*", "Host", "client.example", "Content-Length", "99", "Expect",
                "100-continue", "X-Forwarded-For", "10.0.0.1");
        ByteBuffer into = ByteBuffer.allocate(1024);
        ByteBuffer head = RequestHead.write(into, "POST", "/orders?id=7", "backend:8080", headers, 12);
        assertSame(into, head, "a head that fits is written into the given buffer");
        assertEquals("POST /orders?id=7 HTTP/1.1\r\nHost: backend:8080\r\nAccept: */*\r\n"
                + "X-Forwarded-For: 10.0.0.1\r\nContent-Length: 12\r\n\r\n", text(head));

        assertEquals("GET / HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n",
                text(RequestHead.write(into, "GET", "/", "b", Headers.empty(), -1)));
        assertEquals("GET / HTTP/1.1\r\nHost: b\r\n\r\n",
                text(RequestHead.write(into, "GET", "/", "b", Headers.empty(), -2)));
    }

    @Test
    void controlsInValuesBecomeSpaces_andCharactersPastLatin1AQuestionMark() {
        // a value that reached here unchecked (a rewritten path, a host) must not split the message
        String value = "a\tb\u0001c\u007fd\u00e9e\u20acf";
        ByteBuffer head = RequestHead.write(ByteBuffer.allocate(1024), "GET", "/p\rq\nr", "h\u0000st", Headers.of("X-A",
                "ok"), -2);
        assertEquals("GET /p q r HTTP/1.1\r\nHost: h st\r\nX-A: ok\r\n\r\n", text(head));
        head = RequestHead.write(ByteBuffer.allocate(1024), "G:ET", "/", "h", Headers.of("X-A", value), -2);
        assertEquals("G?ET / HTTP/1.1\r\nHost: h\r\nX-A: a\tb c d\u00e9e?f\r\n\r\n", text(head));
    }

    @Test
    void aHeadLargerThanTheBufferGoesIntoANewOne() {
        String big = "v".repeat(5000);
        ByteBuffer into = ByteBuffer.allocate(64);
        ByteBuffer head = RequestHead.write(into, "GET", "/", "h", Headers.of("X-Big", big), 0);
        assertNotSame(into, head);
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\nContent-Length: 0\r\n\r\n", text(head));
    }
}
