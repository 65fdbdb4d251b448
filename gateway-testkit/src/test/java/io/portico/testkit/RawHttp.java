package io.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends bytes no well-behaved client would, and reads what comes back. */
final class RawHttp {
    private RawHttp() {
    }

    /** Writes {@code request} and reads until the server closes or answers one response (bounded). */
    static String exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return answer(socket);
        }
    }

    /** A connection to the gateway on {@code port}, whose reads give up after 5 s of silence. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** Writes {@code bytes} (ISO-8859-1) and flushes. */
    static void send(Socket socket, String bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads until {@code marker} has come, the connection ends, or the socket's timeout passes. */
    static String readUntil(Socket socket, String marker) throws IOException {
        return readUntil(socket, marker, 1);
    }

    /** What came until {@code marker} had come {@code times}, the connection ended, or the socket fell silent. */
    static String readUntil(Socket socket, String marker, int times) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (occurrences(seen.toString(StandardCharsets.ISO_8859_1), marker) < times) {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException silent) {
                break;
            }
            if (read < 0) {
                break;
            }
            seen.write(buffer, 0, read);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    static int occurrences(String text, String marker) {
        return text.split(java.util.regex.Pattern.quote(marker), -1).length - 1;
    }

    /** Reads one response from {@code socket}, or what came before it closed or fell silent (bounded). */
    static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                break;
            }
            if (read < 0) {
                break;
            }
            answer.write(buffer, 0, read);
            if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                break;
            }
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int lengthAt = head.indexOf("content-length:");
        if (lengthAt < 0) {
            return !head.contains("transfer-encoding: chunked") || text.endsWith("0\r\n\r\n");
        }
        int lineEnd = head.indexOf("\r\n", lengthAt);
        int length = Integer.parseInt(head.substring(lengthAt + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
        return text.length() - end - 4 >= length;
    }
}
