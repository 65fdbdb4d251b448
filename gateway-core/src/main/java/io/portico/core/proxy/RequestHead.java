package io.portico.core.proxy;

import io.portico.api.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes an HTTP/1.1 request line and header block straight into bytes. The headers have already
 * lost their hop-by-hop fields; this writes the target's {@code Host} and the body's framing, and
 * leaves out {@code Expect}: the body follows at once, as nginx sends it, so an upstream's
 * {@code 100 Continue} is only ever an interim answer to skip.
 */
final class RequestHead {
    private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST = "Host: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);

    private RequestHead() {
    }

    /**
     * @param into       a buffer in fill mode, replaced by a larger one when the head does not fit
     * @param bodyLength the body's length, -1 for a chunked body, or -2 for none
     * @return the buffer written to, flipped for writing to the socket
     */
    static ByteBuffer write(ByteBuffer into, String method, String pathAndQuery, String host, Headers headers,
                            long bodyLength) {
        int estimate = method.length() + pathAndQuery.length() + host.length() + 64;
        for (int i = 0; i < headers.size(); i++) {
            estimate += headers.name(i).length() + headers.value(i).length() + 4;
        }
        ByteBuffer out = into.capacity() >= estimate ? into.clear() : ByteBuffer.allocate(Math.max(estimate, 2 * into.capacity()));
        putToken(out, method);
        out.put((byte) ' ');
        putValue(out, pathAndQuery);
        out.put(VERSION);
        out.put(HOST);
        putValue(out, host);
        crlf(out);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Expect")) {
                continue;
            }
            putToken(out, name);
            out.put((byte) ':').put((byte) ' ');
            putValue(out, headers.value(i));
            crlf(out);
        }
        if (bodyLength >= 0) {
            out.put(CONTENT_LENGTH);
            putValue(out, Long.toString(bodyLength));
            crlf(out);
        } else if (bodyLength == -1) {
            out.put(CHUNKED);
        }
        crlf(out);
        return out.flip();
    }

    private static void crlf(ByteBuffer out) {
        out.put((byte) '\r').put((byte) '\n');
    }

    /** A name or method: anything but a token character would split or bend the message. */
    private static void putToken(ByteBuffer out, String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            out.put(c > ' ' && c < 0x7F && c != ':' ? (byte) c : (byte) '?');
        }
    }

    /** A value: CR, LF and other controls become spaces, characters past Latin-1 a '?', as Jetty writes them. */
    private static void putValue(ByteBuffer out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c != 0x7F && c <= 0xFF) {
                out.put((byte) c);
            } else {
                out.put(c == '\t' ? (byte) '\t' : c > 0xFF ? (byte) '?' : (byte) ' ');
            }
        }
    }
}
