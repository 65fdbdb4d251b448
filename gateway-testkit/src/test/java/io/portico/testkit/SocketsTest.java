package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.FilterFactory;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import io.portico.api.SocketConnection;
import io.portico.api.SocketReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A filter's TCP connection on the gateway's event loop (PluginContext.sockets()), against a real
 * line-echo server: every request asks over one shared connection and answers with the echo.
 */
class SocketsTest {
    static LineServer server;
    static TestGateway gateway;
    static final LineClient client = new LineClient();
    static final AtomicReference<PluginContext> lent = new AtomicReference<>();
    final HttpClient http = Backends.client();

    record EchoConfig(int port) {
    }

    /** Answers each request with the echo of its path, asked over the one connection. */
    static FilterFactory<EchoConfig> echo() {
        return TestFilters.factory("echo", EchoConfig.class, Phase.EDGE, (config, context) -> {
            lent.set(context);
            // made while the configuration loads, before the server starts
            client.open(context.sockets()
                    .connect(new InetSocketAddress("127.0.0.1", config.port()), Duration.ofSeconds(2), client)
                    .join());
            return (NonBlockingFilter) (exchange, chain) -> client.ask(exchange.request().path())
                    .handle((line, failure) -> {
                        if (failure != null) {
                            throw new ProblemException(502, "echo-gone", "The echo service is gone", failure.toString());
                        }
                        return Response.of(200, "text/plain", line);
                    });
        });
    }

    @BeforeAll
    static void start() throws Exception {
        server = new LineServer();
        gateway = TestGateway.builder().yaml("""
                routes:
                  - id: echo
                    match: { paths: [/**] }
                    url: http://127.0.0.1:9
                    plugins: [{ name: echo, config: { port: '${ECHO_PORT}' } }]
                """).env("ECHO_PORT", Integer.toString(server.port())).filters(echo()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        server.close();
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer_onOneConnection_evenWhenAnswersArriveInPieces() throws Exception {
        int connectionsBefore = server.connections.get();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // every fifth answer the server sends a byte at a time
            String path = (i % 5 == 0 ? "/slow/" : "/fast/") + i;
            answers.add(http.sendAsync(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals((i % 5 == 0 ? "/slow/" : "/fast/") + i, answer.body());
        }
        assertEquals(connectionsBefore, server.connections.get(), "the filter's one connection carried every question");
        assertFalse(client.readOn.isEmpty());
        assertTrue(client.readOn.stream().noneMatch(name -> name.startsWith("virtual")),
                "answers are read on the event loop's threads: " + client.readOn);
    }

    @Test
    void connectingWhereNobodyListensFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CompletableFuture<SocketConnection> connecting = lent.get().sockets().connect(
                new InetSocketAddress("127.0.0.1", closedPort), Duration.ofSeconds(2), new LineClient());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, failed.getCause());
    }

    @Test
    void whenTheServiceCloses_theReaderHearsOnce_andLaterWritesAreDropped() throws Exception {
        LineClient second = new LineClient();
        SocketConnection connection = lent.get().sockets()
                .connect(new InetSocketAddress("127.0.0.1", server.port()), Duration.ofSeconds(2), second)
                .get(10, TimeUnit.SECONDS);
        second.open(connection);
        assertEquals("/before", second.ask("/before").get(10, TimeUnit.SECONDS));

        server.closeNewest();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.closes.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, second.closes.get(), "told once that the connection closed");
        assertEquals(null, second.closedWith.get(), "closed by the service, not by a failure");
        assertFalse(connection.isOpen());
        // the connection itself takes a write after the close without a word, and sends nothing
        connection.write(ByteBuffer.wrap("/dropped\n".getBytes(StandardCharsets.UTF_8)));
        assertFalse(server.heard("/dropped"), "nothing was sent after the close");

        // the client fails an asker after the close, rather than leave it waiting
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> second.ask("/after").get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failed.getCause());
        connection.close();
        assertEquals(1, second.closes.get(), "closing again tells nobody twice");
    }

    @Test
    void aLaterWriteKeepsItsPlaceAmongTheWrites_andIsMadeOnTheLoop() throws Exception {
        LineClient later = new LineClient();
        SocketConnection connection = lent.get().sockets()
                .connect(new InetSocketAddress("127.0.0.1", server.port()), Duration.ofSeconds(2), later)
                .get(10, TimeUnit.SECONDS);
        later.open(connection);
        Set<String> madeOn = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 20; round++) {
            String tag = "/" + round;
            CompletableFuture<String> first = later.ask(tag + "/first");
            CompletableFuture<String> second = later.askLater(() -> {
                Thread maker = Thread.currentThread();
                madeOn.add((maker.isVirtual() ? "virtual " : "") + maker.getName());
                return tag + "/second";
            });
            // a supplier with nothing to send sends nothing, and holds up nothing
            connection.writeLater(() -> null);
            CompletableFuture<String> third = later.ask(tag + "/third");
            assertEquals(tag + "/first", first.get(10, TimeUnit.SECONDS));
            assertEquals(tag + "/second", second.get(10, TimeUnit.SECONDS));
            assertEquals(tag + "/third", third.get(10, TimeUnit.SECONDS));
        }
        String test = Thread.currentThread().getName();
        assertTrue(madeOn.stream().noneMatch(name -> name.equals(test) || name.startsWith("virtual")),
                "the later lines were made on the event loop's threads: " + madeOn);
        connection.close();
    }

    /** Asks lines over one connection and matches the echoed lines to the askers, in order. */
    static final class LineClient implements SocketReader {
        final Set<String> readOn = ConcurrentHashMap.newKeySet();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<Throwable> closedWith = new AtomicReference<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<CompletableFuture<String>> waiting = new ArrayDeque<>();
        private SocketConnection connection;
        private boolean closed;

        void open(SocketConnection opened) {
            lock.lock();
            try {
                connection = opened;
            } finally {
                lock.unlock();
            }
        }

        CompletableFuture<String> ask(String line) {
            return ask(() -> line, false);
        }

        /** Asks with {@link SocketConnection#writeLater}: the line is made when the writes go out. */
        CompletableFuture<String> askLater(Supplier<String> line) {
            return ask(line, true);
        }

        private CompletableFuture<String> ask(Supplier<String> line, boolean later) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            lock.lock();
            try {
                if (closed) {
                    answer.completeExceptionally(new IOException("the echo connection is closed"));
                    return answer;
                }
                waiting.add(answer);
                Supplier<ByteBuffer> bytes = () -> ByteBuffer.wrap((line.get() + "\n").getBytes(StandardCharsets.UTF_8));
                if (later) {
                    connection.writeLater(bytes);
                } else {
                    connection.write(bytes.get());
                }
            } finally {
                lock.unlock();
            }
            return answer;
        }

        @Override
        public void onBytes(ByteBuffer bytes) {
            Thread reader = Thread.currentThread();
            readOn.add((reader.isVirtual() ? "virtual " : "") + reader.getName());
            while (true) {
                int end = -1;
                for (int i = bytes.position(); i < bytes.limit(); i++) {
                    if (bytes.get(i) == '\n') {
                        end = i;
                        break;
                    }
                }
                if (end < 0) {
                    return;
                }
                byte[] line = new byte[end - bytes.position()];
                bytes.get(line);
                bytes.get();
                CompletableFuture<String> asker;
                lock.lock();
                try {
                    asker = waiting.poll();
                } finally {
                    lock.unlock();
                }
                asker.complete(new String(line, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onClosed(Throwable failure) {
            closes.incrementAndGet();
            closedWith.set(failure);
            List<CompletableFuture<String>> failed;
            lock.lock();
            try {
                closed = true;
                failed = new ArrayList<>(waiting);
                waiting.clear();
            } finally {
                lock.unlock();
            }
            failed.forEach(asker -> asker.completeExceptionally(new IOException("the echo connection closed")));
        }
    }

    /** Echoes each line it reads; lines under /slow/ come back a byte at a time. */
    static final class LineServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Set<String> lines = ConcurrentHashMap.newKeySet();

        LineServer() throws IOException {
            Thread.ofPlatform().daemon().name("line-server").start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        boolean heard(String line) {
            return lines.contains(line);
        }

        void closeNewest() throws IOException {
            accepted.getLast().close();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    accepted.add(connection);
                    Thread.ofPlatform().daemon().name("line-server-connection").start(() -> echo(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void echo(Socket connection) {
            try (connection; BufferedReader in = new BufferedReader(
                    new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = connection.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    if (line.startsWith("/slow/")) {
                        for (byte b : bytes) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(1);
                        }
                    } else {
                        out.write(bytes);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException closed) {
                // the test closed it
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
