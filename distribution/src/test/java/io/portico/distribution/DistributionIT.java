package io.portico.distribution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip as a user gets it: unpacked, started with bin/portico, a request proxied, SIGTERM. */
class DistributionIT {
    @TempDir
    Path folder;
    WireMockServer backend;
    Process portico;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startBackend() {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(get(urlEqualTo("/hello")).willReturn(aResponse().withBody("hello through the zip")));
    }

    @AfterEach
    void stop() throws Exception {
        if (portico != null && portico.isAlive()) {
            portico.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        backend.stop();
    }

    @Test
    void unpackedZip_startsWithTheExampleConfig_proxies_andDrainsOnSigterm() throws Exception {
        Path home = unzip(Path.of(System.getProperty("portico.zip")), folder);
        Path bin = home.resolve("bin/portico");
        assertTrue(Files.isExecutable(bin), "bin/portico must be executable");
        for (String entry : List.of("bin", "conf", "lib", "plugins", "filters", "docs")) {
            assertTrue(Files.isDirectory(home.resolve(entry)), entry + "/ missing from the zip");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(bin.toString(), "run").directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(folder.resolve("portico.log").toFile());
        builder.environment().put("PORTICO_PORT", String.valueOf(port));
        builder.environment().put("DEMO_UPSTREAM", "http://127.0.0.1:" + backend.port());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long started = System.nanoTime();
        portico = builder.start();

        HttpResponse<String> answer = waitForAnswer(URI.create("http://127.0.0.1:" + port + "/demo/hello"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(200, answer.statusCode(), log());
        assertEquals("hello through the zip", answer.body());
        backend.verify(getRequestedFor(urlEqualTo("/hello")));
        System.out.println("first proxied answer " + millis + " ms after bin/portico started");

        portico.toHandle().destroy();
        assertTrue(portico.waitFor(20, TimeUnit.SECONDS), "SIGTERM did not stop portico:\n" + log());
        String log = log();
        assertTrue(log.contains("draining"), log);
        assertTrue(log.contains("\"path\":\"/demo/hello\""), "access log line missing:\n" + log);
    }

    @Test
    void validate_reportsEveryProblemWithItsLine_andExits1() throws Exception {
        Path home = unzip(Path.of(System.getProperty("portico.zip")), folder);
        Path bad = folder.resolve("bad.yaml");
        Files.writeString(bad, """
                server:
                  port: 99999
                routes:
                  - id: one
                    match: { paths: [/a/**] }
                    upstream: missing
                    colour: blue
                """);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/portico").toString(), "validate", bad.toString())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process validate = builder.start();
        String output = new String(validate.getInputStream().readAllBytes());
        assertTrue(validate.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, validate.exitValue(), output);
        assertTrue(output.contains("server.port: must be between 0 and 65535 (line 2)"), output);
        assertTrue(output.contains("routes[0].colour: unknown key 'colour'"), output);
        assertTrue(output.contains("(line 7)"), output);
    }

    private HttpResponse<String> waitForAnswer(URI uri) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!portico.isAlive()) {
                throw new AssertionError("portico exited with " + portico.exitValue() + ":\n" + log());
            }
            try {
                return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no answer within 30 s:\n" + log(), last);
    }

    private String log() {
        try {
            return Files.readString(folder.resolve("portico.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Unpacks with the system's unzip when there is one, as a user would, so file modes count. */
    private static Path unzip(Path zip, Path into) throws Exception {
        String root;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry first = in.getNextEntry();
            root = Path.of(first.getName()).getName(0).toString();
        }
        boolean hasUnzip = Files.isExecutable(Path.of("/usr/bin/unzip"));
        if (hasUnzip) {
            Process unzip = new ProcessBuilder("/usr/bin/unzip", "-q", zip.toString(), "-d", into.toString())
                    .inheritIO().start();
            assertTrue(unzip.waitFor(60, TimeUnit.SECONDS) && unzip.exitValue() == 0, "unzip failed");
            return into.resolve(root);
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        // java.util.zip keeps no file modes; unzip(1) would have
        Files.setPosixFilePermissions(into.resolve(root).resolve("bin/portico"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return into.resolve(root);
    }
}
