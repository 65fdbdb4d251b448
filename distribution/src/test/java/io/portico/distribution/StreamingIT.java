package io.portico.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip started with a 64 MB heap: a gigabyte up and a gigabyte down pass through it (a gateway
 * that buffered bodies would die of OutOfMemoryError, which bin/portico turns into an exit), as do
 * a thousand and a half kept connections, and SIGTERM lets a request in flight finish.
 */
class StreamingIT {
    static final long GIGABYTE = 1024L * 1024 * 1024;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    @TempDir
    Path folder;
    Server backend;
    final ScheduledExecutorService holds = Executors.newSingleThreadScheduledExecutor();
    int backendPort;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startBackend() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        // thousands of upstream connections open at once: Jetty's accept queue of 50 would cost some a second
        connector.setAcceptQueueSize(511);
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.equals("/big")) {
                    response.getHeaders().put("Content-Length", GIGABYTE);
                    byte[] chunk = new byte[64 * 1024];
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        for (long sent = 0; sent < GIGABYTE; sent += chunk.length) {
                            out.write(chunk);
                        }
                    }
                    callback.succeeded();
                } else if (path.equals("/upload")) {
                    long count = 0;
                    try (InputStream in = Content.Source.asInputStream(request)) {
                        byte[] buffer = new byte[64 * 1024];
                        for (int read; (read = in.read(buffer)) >= 0; ) {
                            count += read;
                        }
                    }
                    Content.Sink.write(response, true, String.valueOf(count), callback);
                } else if (path.equals("/small")) {
                    Content.Sink.write(response, true, "small", callback);
                } else if (path.equals("/hold-empty")) {
                    holds.schedule(() -> {
                        response.setStatus(204);
                        callback.succeeded();
                    }, 4, TimeUnit.SECONDS);
                } else if (path.equals("/hold")) {
                    // answers later without holding a thread, so that thousands can wait at once
                    // chunked, in two writes: the answer ends after its last content, with the terminator
                    holds.schedule(() -> Content.Sink.write(response, false, "he", Callback.from(
                            () -> Content.Sink.write(response, true, "ld", callback), callback::failed)),
                            4, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(1500);
                    Content.Sink.write(response, true, "slow done", callback);
                }
                return true;
            }
        });
        backend.start();
        backendPort = connector.getLocalPort();
    }

    @AfterEach
    void stopBackend() throws Exception {
        backend.stop();
        holds.shutdownNow();
    }

    private Installed startPortico() throws Exception {
        Path config = folder.resolve("streaming.yaml");
        Files.writeString(config, """
                server:
                  port: ${PORTICO_PORT}
                  drain-timeout: 10s
                  access-log: { enabled: false }
                routes:
                  - id: all
                    url: http://127.0.0.1:%d
                    max-body-size: 2GB
                """.formatted(backendPort));
        return Installed.unpack(folder).start(Map.of("PORTICO_HEAP", "64m"), "-c", config.toString());
    }

    @Test
    void aGigabyteUpAndDown_streamsThroughA64MegabyteHeap() throws Exception {
        try (Installed portico = startPortico()) {
            HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + portico.port + "/big")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            long received;
            try (InputStream body = download.body()) {
                received = body.transferTo(OutputStream.nullOutputStream());
            }
            assertEquals(GIGABYTE, received, portico.log());

            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + portico.port + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(GIGABYTE))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, upload.statusCode(), upload.body());
            assertEquals(String.valueOf(GIGABYTE), upload.body());
            assertTrue(portico.process.isAlive(), portico.log());
            long resident = portico.residentMegabytes();
            System.out.println("resident memory after 2 GB through a 64 MB heap: " + resident + " MB");
            assertTrue(resident < 300, "resident memory " + resident + " MB");
        }
    }

    @Test
    void fifteenHundredKeptConnections_fitA64MegabyteHeap() throws Exception {
        int connections = 1500;
        List<Socket> open = new ArrayList<>();
        try (Installed portico = startPortico()) {
            try {
                for (int i = 0; i < connections; i++) {
                    Socket socket = connect(portico);
                    open.add(socket);
                    // Jetty's parser used to build a 96 KB table of a connection's repeated
                    // fields when its second request came: 1,350 such connections filled 192 MB
                    for (int request = 0; request < 2; request++) {
                        send(socket, "/small");
                        assertEquals("small", answer(socket), "connection " + i + ", request " + request);
                    }
                }
                assertTrue(portico.process.isAlive(), portico.log());
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + portico.port + "/small")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), portico.log());
                // and every kept connection still answers
                for (Socket socket : List.of(open.get(0), open.get(connections - 1))) {
                    send(socket, "/small");
                    assertEquals("small", answer(socket));
                }
            } finally {
                closeAll(open);
            }
        }
    }

    @Test
    void threeThousandRequestsWaitingOnASlowUpstream_twice_fitA64MegabyteHeap() throws Exception {
        long descriptors = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assumeTrue(descriptors >= 16_000, "needs 16,000 file descriptors (this JVM holds the clients' and the "
                + "backend's sockets), has " + descriptors);
        try (Installed portico = startPortico()) {
            // each waits about four seconds for its answer, on an upstream connection of its own,
            // which used to hold its 16 KB input buffer all along. The first round's answers have no
            // body, the second's are chunked; the second round finds the first's connections in the
            // pool, where a connection kept the buffer of an answer without a body
            waitForHeldAnswers(portico, 3000, "/hold-empty", "");
            waitForHeldAnswers(portico, 3000, "/hold", "held");
            assertTrue(portico.process.isAlive(), portico.log());
        }
    }

    private static void waitForHeldAnswers(Installed portico, int requests, String path, String body) throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                Socket socket = connect(portico);
                open.add(socket);
                send(socket, path);
            }
            for (int i = 0; i < requests; i++) {
                try {
                    assertEquals(body, answer(open.get(i)), path + ", request " + i);
                } catch (IOException e) {
                    throw new AssertionError(path + ", request " + i + ": " + e.getMessage() + "\n" + portico.log(), e);
                }
            }
        } finally {
            closeAll(open);
        }
    }

    /** A connection to the gateway; a read that waits 30 s fails rather than hang the build. */
    private static Socket connect(Installed portico) throws IOException {
        Socket socket = new Socket("127.0.0.1", portico.port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** Sends a GET with the headers a browser sends. */
    private static void send(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
                + "Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-GB,en;q=0.9\r\n"
                + "Accept-Encoding: gzip, deflate\r\nCookie: session=0123456789abcdef\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer, which must be a 200 or a 204, and returns its body (of a declared length, or chunked). */
    private static String answer(Socket socket) throws IOException {
        // nothing follows the answer on this connection until the next request, so a buffer reads no further
        InputStream in = new BufferedInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        for (int matched = 0; matched < 4; ) {
            int read = in.read();
            if (read < 0) {
                throw new IOException("the gateway closed the connection after: " + head);
            }
            head.append((char) read);
            matched = read == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : read == '\r' ? 1 : 0;
        }
        if (head.toString().startsWith("HTTP/1.1 204")) {
            return "";
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) {
            return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.US_ASCII);
        }
        assertTrue(head.toString().toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked"),
                head.toString());
        StringBuilder body = new StringBuilder();
        for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
            body.append(new String(in.readNBytes(size), StandardCharsets.US_ASCII));
            line(in);
        }
        line(in);
        return body.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int read; (read = in.read()) != '\n'; ) {
            if (read < 0) {
                throw new IOException("the gateway closed the connection in a chunked body");
            }
            line.append((char) read);
        }
        return line.toString();
    }

    @Test
    void sigterm_letsARequestInFlightFinish() throws Exception {
        try (Installed portico = startPortico()) {
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + portico.port + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(400);
            portico.process.toHandle().destroy();
            HttpResponse<String> answer = slow.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), portico.log());
            assertEquals("slow done", answer.body());
            assertTrue(portico.process.waitFor(20, TimeUnit.SECONDS), portico.log());
        }
    }

    /** {@code size} zero bytes, generated, never held. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int count = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 0);
            left -= count;
            return count;
        }
    }

}
