package io.portico.plugins.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free port of 127.0.0.1, without persistence. It can
 * be killed, frozen (SIGSTOP: connections are accepted and nothing answers, as a hung Redis) and
 * started again on the same port. When redis-server is not installed, {@link #start()} fails and
 * says how to install it: these tests do not skip.
 */
final class RedisServer implements AutoCloseable {
    private static final List<Path> PLACES = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin"));

    private final Path executable;
    private final int port;
    private Process process;

    private RedisServer(Path executable, int port) {
        this.executable = executable;
        this.port = port;
    }

    /** Starts a new server on a free port. */
    static RedisServer start() throws Exception {
        RedisServer server = new RedisServer(find(), freePort());
        server.restart();
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again (after {@link #kill}) on the same port, and waits until it answers PING. */
    void restart() throws Exception {
        process = new ProcessBuilder(executable.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"PONG".equals(command("PING"))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10s");
            }
            Thread.sleep(20);
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        if (process != null) {
            thaw();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stops the process (SIGSTOP): it keeps its port and accepts connections, but answers nothing. */
    void freeze() throws Exception {
        signal("STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    void thaw() {
        try {
            signal("CONT");
        } catch (Exception e) {
            // the process is gone already
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /**
     * Sends one inline command and returns the first line of the reply without its type mark
     * ({@code PONG}, {@code 3}), or {@code null} when the server cannot be reached.
     */
    String command(String line) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                reply.append((char) c);
            }
            return reply.length() == 0 ? null : reply.substring(1);
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends one inline command whose reply is a bulk string ({@code INFO}) and returns that string. */
    String bulk(String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder length = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                length.append((char) c);
            }
            in.read();
            return new String(in.readNBytes(Integer.parseInt(length.substring(1))), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static Path find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "redis-server"))) {
                return Path.of(folder, "redis-server");
            }
        }
        for (Path folder : PLACES) {
            if (Files.isExecutable(folder.resolve("redis-server"))) {
                return folder.resolve("redis-server");
            }
        }
        throw new IllegalStateException("these tests need a real redis-server, and none was found on the PATH, in"
                + " /usr/bin or /usr/sbin. Install it: apt-get install redis-server (Debian, Ubuntu),"
                + " dnf install redis (Fedora), brew install redis (macOS)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Duration waitUntil(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("the condition did not hold within " + limit);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
