package io.portico.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * that buffered bodies would die of OutOfMemoryError, which bin/portico turns into an exit), and
 * SIGTERM lets a request in flight finish.
 */
class StreamingIT {
    static final long GIGABYTE = 1024L * 1024 * 1024;

    @TempDir
    Path folder;
    Server backend;
    int backendPort;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startBackend() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
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
