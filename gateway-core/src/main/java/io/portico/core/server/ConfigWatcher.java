package io.portico.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and calls back when its content changes. Polling, not a
 * WatchService: editors that replace the file, symlinked config maps and network file systems
 * all show up as a new modification time or content, and a poll twice a second costs nothing.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledFuture<?> task;
    private FileTime lastModified;
    private byte[] lastContent;

    private ConfigWatcher(Path file, Runnable onChange, ScheduledExecutorService scheduler, Duration interval) {
        this.file = file;
        this.onChange = onChange;
        this.lastContent = read();
        this.lastModified = modified();
        this.task = scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts watching {@code file}; {@code onChange} runs on the scheduler's thread. */
    public static ConfigWatcher watch(Path file, Runnable onChange, ScheduledExecutorService scheduler,
                                      Duration interval) {
        return new ConfigWatcher(file, onChange, scheduler, interval);
    }

    private void check() {
        try {
            FileTime modified = modified();
            if (modified == null || modified.equals(lastModified)) {
                return;
            }
            lastModified = modified;
            byte[] content = read();
            if (content == null || Arrays.equals(content, lastContent)) {
                return;
            }
            lastContent = content;
            onChange.run();
        } catch (RuntimeException e) {
            LOG.error("reloading {} failed", file, e);
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
