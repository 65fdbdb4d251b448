package io.portico.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The zip unpacked into a folder, and bin/portico started from it, as a user does. */
final class Installed implements AutoCloseable {
    final Path folder;
    final Path home;
    Process process;
    int port;

    private Installed(Path folder, Path home) {
        this.folder = folder;
        this.home = home;
    }

    static Installed unpack(Path folder) throws Exception {
        return new Installed(folder, unzip(Path.of(System.getProperty("portico.zip")), folder));
    }

    /** Starts {@code bin/portico run} (the example config unless {@code -c FILE} is given); waits for the port. */
    Installed start(Map<String, String> environment, String... arguments) throws Exception {
        port = freePort();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(home.resolve("bin/portico").toString(), "run"));
        command.addAll(java.util.List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("portico.log").toFile());
        builder.environment().put("PORTICO_PORT", String.valueOf(port));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("portico exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("portico did not listen within 30 s:\n" + log());
    }

    String log() {
        try {
            return Files.readString(folder.resolve("portico.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Resident memory of the gateway's process, from /proc, in MB; -1 where unknown. */
    long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
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
        if (Files.isExecutable(Path.of("/usr/bin/unzip"))) {
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
