package io.portico.distribution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip as a user gets it: unpacked, started with bin/portico, a request proxied, SIGTERM. */
class DistributionIT {
    @TempDir
    Path folder;
    WireMockServer backend;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startBackend() {
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(get(urlEqualTo("/hello")).willReturn(aResponse().withBody("hello through the zip")));
    }

    @AfterEach
    void stop() {
        backend.stop();
    }

    @Test
    void unpackedZip_startsWithTheExampleConfig_proxies_andStopsOnSigterm() throws Exception {
        try (Installed portico = Installed.unpack(folder)) {
            Path bin = portico.home.resolve("bin/portico");
            assertTrue(Files.isExecutable(bin), "bin/portico must be executable");
            for (String entry : List.of("bin", "conf", "lib", "plugins", "filters", "docs")) {
                assertTrue(Files.isDirectory(portico.home.resolve(entry)), entry + "/ missing from the zip");
            }
            long started = System.nanoTime();
            portico.start(Map.of("DEMO_UPSTREAM", "http://127.0.0.1:" + backend.port()));
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + portico.port + "/demo/hello")).build(), HttpResponse.BodyHandlers.ofString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(200, answer.statusCode(), portico.log());
            assertEquals("hello through the zip", answer.body());
            backend.verify(getRequestedFor(urlEqualTo("/hello")));
            System.out.println("first proxied answer " + millis + " ms after bin/portico started");
            // a request the parser refuses is answered and logged like any other, without a warning
            String refused = refusedRequestId(portico.port, "GET /demo/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");

            portico.process.toHandle().destroy();
            assertTrue(portico.process.waitFor(20, TimeUnit.SECONDS), "SIGTERM did not stop portico:\n" + portico.log());
            String log = portico.log();
            assertTrue(log.contains("draining"), log);
            assertTrue(log.contains("\"path\":\"/demo/hello\""), "access log line missing:\n" + log);
            assertTrue(log.contains("\"request_id\":\"" + refused + "\",\"client\":\"127.0.0.1\",\"method\":\"GET\","
                    + "\"path\":\"/demo/x\",\"route\":null,\"target\":null,\"status\":400,"), "no line for " + refused + ":\n" + log);
            assertFalse(log.contains("WARN"), log);
        }
    }

    /** Sends raw bytes, expects a 400 answer, and returns its request id. */
    private static String refusedRequestId(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            Matcher id = Pattern.compile("(?i)x-request-id: (\\S+)").matcher(answer);
            assertTrue(id.find(), answer);
            return id.group(1);
        }
    }

    @Test
    void validate_reportsEveryProblemWithItsLine_andExits1() throws Exception {
        try (Installed portico = Installed.unpack(folder)) {
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
            ProcessBuilder builder = new ProcessBuilder(portico.home.resolve("bin/portico").toString(), "validate",
                    bad.toString()).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process validate = builder.start();
            String output = new String(validate.getInputStream().readAllBytes());
            assertTrue(validate.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, validate.exitValue(), output);
            assertTrue(output.contains("server.port: must be between 0 and 65535 (line 2)"), output);
            assertTrue(output.contains("routes[0].colour: unknown key 'colour'"), output);
            assertTrue(output.contains("(line 7)"), output);
        }
    }

    @Test
    void editedConfiguration_appliesWhileRunning_andABrokenEditIsRefusedWithItsLine() throws Exception {
        try (Installed portico = Installed.unpack(folder)) {
            portico.start(Map.of("DEMO_UPSTREAM", "http://127.0.0.1:" + backend.port()));
            assertEquals(200, status(portico, "/demo/hello"), portico.log());
            Path config = portico.home.resolve("conf/portico.yaml");
            String example = Files.readString(config);
            assertTrue(example.contains("paths: [/demo/**]"), example);
            // saved whole, as editors do (write a copy, rename it over): the route now answers under /shop
            save(config, example.replace("paths: [/demo/**]", "paths: [/shop/**]")
                    .replace("strip-prefix: /demo", "strip-prefix: /shop"));
            assertTrue(eventually(() -> status(portico, "/shop/hello") == 200), "the edit was not applied:\n" + portico.log());
            assertEquals(404, status(portico, "/demo/hello"));

            save(config, Files.readString(config).replace("balancer: round-robin", "balancer: fastest"));
            assertTrue(eventually(() -> portico.log().contains("upstreams.demo.balancer")), portico.log());
            assertTrue(portico.log().contains("configuration not applied"), portico.log());
            assertEquals(200, status(portico, "/shop/hello"), "the running configuration stays");
        }
    }

    private static void save(Path file, String content) throws Exception {
        Path copy = file.resolveSibling(file.getFileName() + ".saving");
        Files.writeString(copy, content);
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int status(Installed portico, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portico.port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Polls {@code condition} for up to 10 s: the watcher looks twice a second. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
