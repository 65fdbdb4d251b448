package io.portico.plugins.ratelimit;

import io.portico.testkit.PluginJars;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a {@link GatewayNode} in its own JVM with the built plugin jar, and stops it. */
final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final Path folder;

    private GatewayProcess(Process process, int port, Path log, Path folder) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.folder = folder;
    }

    static GatewayProcess start(String yaml, Map<String, String> env) throws Exception {
        Path folder = Files.createTempDirectory("portico-node");
        Path config = Files.writeString(folder.resolve("portico.yaml"), yaml);
        Path portFile = folder.resolve("port");
        Path log = folder.resolve("node.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), GatewayNode.class.getName(),
                config.toString(), PluginJars.folderWith(PluginJars.built()).toString(), portFile.toString()));
        env.forEach((name, value) -> command.add(name + "=" + value));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the gateway process did not start; its log:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return new GatewayProcess(process, Integer.parseInt(Files.readString(portFile).strip()), log, folder);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(folder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    String log() throws Exception {
        return Files.readString(log);
    }
}
