package io.portico.distribution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.api.PluginApi;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin written outside this repository, from scripts/new-plugin.sh, against nothing but the
 * plugin API in the zip's lib/, dropped into a running Portico's plugins/ and named by an edit of
 * its configuration: it runs with no restart and no failed request.
 */
class DropInPluginIT {
    @TempDir
    Path folder;

    @Test
    void aScaffoldedPluginDroppedIntoARunningGatewayRunsWithoutAFailedRequest() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("upstream")));
        Path config = folder.resolve("portico.yaml");
        String withoutPlugin = """
                server:
                  port: ${PORTICO_PORT}
                  access-log: { enabled: false }
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: http://127.0.0.1:%d
                """.formatted(backend.port());
        Files.writeString(config, withoutPlugin);
        try (Installed portico = Installed.unpack(folder.resolve("install"))) {
            Path jar = buildOutside(portico.home.resolve("lib"));
            portico.start(Map.of(), "-c", config.toString());
            URI uri = URI.create("http://127.0.0.1:" + portico.port + "/api/orders");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            var greetings = ConcurrentHashMap.<String>newKeySet();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> load = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    load.add(executor.submit(() -> {
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                        while (running.get() && System.nanoTime() < end) {
                            try {
                                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                sent.incrementAndGet();
                                if (response.statusCode() != 200) {
                                    failures.incrementAndGet();
                                }
                                greetings.add(response.headers().firstValue("X-Greeting").orElse("none"));
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(500);
                // dropped in as a careful user does: copied beside, then renamed into place
                Path plugins = portico.home.resolve("plugins");
                Path partial = Files.copy(jar, plugins.resolve(".greeting.jar.part"));
                Files.move(partial, plugins.resolve("greeting-1.0.0.jar"), StandardCopyOption.ATOMIC_MOVE);
                awaitLog(portico, "plugin greeting 1.0.0 (greeting-1.0.0.jar) loaded");
                Files.writeString(config, withoutPlugin + """
                            plugins:
                              - name: greeting
                                config: { header: X-Greeting, value: hello }
                        """);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!greetings.contains("hello") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(300);
                running.set(false);
                for (Future<?> each : load) {
                    each.get();
                }
            }
            assertTrue(greetings.contains("hello"), "the plugin never answered:\n" + portico.log());
            assertEquals(0, failures.get(), "failed requests out of " + sent.get() + ":\n" + portico.log());
        } finally {
            backend.stop();
        }
    }

    /** scripts/new-plugin.sh, then what its Maven build does: javac with PF4J's processor, a jar with the manifest. */
    private Path buildOutside(Path lib) throws Exception {
        Path outside = folder.resolve("outside");
        Files.createDirectories(outside);
        Process scaffold = new ProcessBuilder(Path.of("..", "scripts", "new-plugin.sh").toAbsolutePath().toString(),
                "greeting", outside.resolve("greeting").toString()).redirectErrorStream(true).start();
        String output = new String(scaffold.getInputStream().readAllBytes());
        assertTrue(scaffold.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, scaffold.exitValue(), output);
        Path sources = outside.resolve("greeting/src/main/java");
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String classpath;
        try (Stream<Path> jars = Files.list(lib)) {
            classpath = String.join(java.io.File.pathSeparator, jars
                    .filter(path -> path.getFileName().toString().matches("(portico-plugin-api|pf4j)-.*\\.jar"))
                    .map(Path::toString).toList());
        }
        Path classes = Files.createDirectories(outside.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-proc:full", "--release", "21", "-d", classes.toString(),
                "-cp", classpath));
        arguments.addAll(files);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)),
                "the scaffolded plugin does not compile against the zip's plugin API alone");
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", "greeting");
        attributes.putValue("Plugin-Version", "1.0.0");
        attributes.putValue("Portico-Api-Version", PluginApi.version());
        Path jar = outside.resolve("greeting-1.0.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream packed = new JarOutputStream(out, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                packed.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, packed);
                packed.closeEntry();
            }
        }
        return jar;
    }

    private static void awaitLog(Installed portico, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (portico.log().contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never logged '" + line + "':\n" + portico.log());
    }
}
