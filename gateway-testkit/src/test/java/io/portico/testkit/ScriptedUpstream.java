package io.portico.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 upstream on a free port of 127.0.0.1 that answers with exactly the bytes a test
 * scripts (chunked, interim answers, a close, a broken status line), and counts the connections
 * it accepted. A script writes to the socket itself and says whether to keep the connection.
 */
final class ScriptedUpstream implements AutoCloseable {
    /**
     * A request as it arrived: header names in lower case, the body de-chunked, and how many
     * requests came before it on its connection.
     */
    record Received(String method, String target, Map<String, String> headers, String body, int onConnection) {
    }

    /** Writes an answer to {@code out}; returns false to close the connection afterwards. */
    interface Script {
        boolean answer(Received request, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Function<Received, Script> scripts;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedUpstream(Function<Received, Script> scripts) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.scripts = scripts;
        Thread.ofVirtual().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int connections() {
        return accepted.get();
    }

    /** Connections still open on the upstream's side: the gateway has not closed them. */
    int openConnections() {
        return open.size();
    }

    List<Received> received() {
        return received;
    }

    /** Closes every connection the upstream holds, as an upstream ending its keep-alive does. */
    void closeConnections() throws IOException {
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int index = 0; ; index++) {
                Received request = read(in, index);
                if (request == null) {
                    return;
                }
                received.add(request);
                boolean keep = scripts.apply(request).answer(request, out);
                out.flush();
                if (!keep) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the gateway or the test closed the connection
        } finally {
            open.remove(socket);
        }
    }

    private static Received read(InputStream in, int index) throws IOException {
        String head = line(in);
        if (head == null) {
            return null;
        }
        String[] parts = head.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String field = line(in); field != null && !field.isEmpty(); field = line(in)) {
            int colon = field.indexOf(':');
            headers.merge(field.substring(0, colon).strip().toLowerCase(Locale.ROOT), field.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Received(parts[0], parts[1], headers, body.toString(StandardCharsets.UTF_8), index);
    }

    /** One CRLF-ended line without its end, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeConnections();
    }
}
