package io.portico.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;

/** What the file-watching tests share: replacing a file as operators' tools do, and waiting for the watcher. */
final class TestFiles {
    private TestFiles() {
    }

    /**
     * Replaces {@code target} with {@code content} at once, as certbot and Kubernetes do (a copy
     * renamed over it): a watcher never reads half of it.
     */
    static void replace(Path target, byte[] content) throws Exception {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.write(next, content);
        Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Replaces {@code target} with {@code content}, at once (see above). */
    static void replace(Path target, String content) throws Exception {
        replace(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code target} with a copy of {@code source}, at once (see above). */
    static void replace(Path target, Path source) throws Exception {
        replace(target, Files.readAllBytes(source));
    }

    /** Whether {@code condition} holds within 10 s, polled every 50 ms. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
