package io.portico.core.observe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes one JSON line per request. A write that fails is counted, never thrown: losing a log
 * line must not fail a request.
 */
public final class AccessLog implements AutoCloseable {
    private final Writer writer;
    private final boolean enabled;
    private final boolean closeWriter;
    // a ReentrantLock, not synchronized: virtual threads may block in the write
    private final ReentrantLock lock = new ReentrantLock();
    private long failures;

    private AccessLog(Writer writer, boolean enabled, boolean closeWriter) {
        this.writer = writer;
        this.enabled = enabled;
        this.closeWriter = closeWriter;
    }

    /** A log that writes nothing. */
    public static AccessLog disabled() {
        return new AccessLog(Writer.nullWriter(), false, false);
    }

    /** Writes to standard output. */
    public static AccessLog toStandardOutput() {
        return new AccessLog(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 8192),
                true, false);
    }

    /** Appends to a file, creating it and its folder when missing. */
    public static AccessLog toFile(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new AccessLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, true);
    }

    /** Whether lines are written at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Writes one entry. */
    public void log(AccessEntry entry) {
        if (!enabled) {
            return;
        }
        String line = entry.toJson();
        lock.lock();
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            failures++;
        } finally {
            lock.unlock();
        }
    }

    /** How many lines could not be written. */
    public long failures() {
        lock.lock();
        try {
            return failures;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            writer.flush();
            if (closeWriter) {
                writer.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
