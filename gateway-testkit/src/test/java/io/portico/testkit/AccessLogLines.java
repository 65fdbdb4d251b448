package io.portico.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads an access log file the gateway writes to, for tests. */
final class AccessLogLines {
    private AccessLogLines() {
    }

    /**
     * The lines of {@code log} holding {@code fragment}, waiting up to 2 s for the first: a line is
     * written once its answer went out, so it may come a moment after the client has the answer.
     */
    static List<String> containing(Path log, String fragment) throws IOException, InterruptedException {
        List<String> lines = List.of();
        for (int i = 0; i < 100 && lines.isEmpty(); i++) {
            lines = Files.readAllLines(log).stream().filter(line -> line.contains(fragment)).toList();
            if (lines.isEmpty()) {
                Thread.sleep(20);
            }
        }
        return lines;
    }
}
