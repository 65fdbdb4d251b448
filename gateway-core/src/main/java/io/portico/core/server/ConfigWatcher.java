package io.portico.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file, and the files it names (TLS certificates and keys), and calls
 * back when the content of any of them changes. Polling, not a WatchService: editors that replace
 * the file, symlinked config maps and secrets, and network file systems all show up as a new
 * modification time or content, and a poll twice a second costs nothing.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Supplier<? extends Collection<Path>> named;
    private final Runnable onChange;
    private final ScheduledFuture<?> task;
    /** What each watched file held when last looked at; only the scheduler's thread touches it. */
    private final Map<Path, Seen> seen = new HashMap<>();

    private record Seen(FileTime modified, byte[] content) {
    }

    private ConfigWatcher(Path file, Supplier<? extends Collection<Path>> named, Runnable onChange,
                          ScheduledExecutorService scheduler, Duration interval) {
        this.file = file;
        this.named = named;
        this.onChange = onChange;
        look(file, seen.get(file));
        for (Path other : named.get()) {
            look(other, seen.get(other));
        }
        this.task = scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts watching {@code file}; {@code onChange} runs on the scheduler's thread. */
    public static ConfigWatcher watch(Path file, Runnable onChange, ScheduledExecutorService scheduler,
                                      Duration interval) {
        return new ConfigWatcher(file, List::of, onChange, scheduler, interval);
    }

    /**
     * Starts watching {@code file} and the files {@code named} gives, asked again at every poll so
     * that a reload naming other files is followed; a file is compared from the first poll that
     * names it. {@code onChange} runs on the scheduler's thread.
     */
    public static ConfigWatcher watch(Path file, Supplier<? extends Collection<Path>> named, Runnable onChange,
                                      ScheduledExecutorService scheduler, Duration interval) {
        return new ConfigWatcher(file, named, onChange, scheduler, interval);
    }

    private void check() {
        try {
            boolean changed = look(file, seen.get(file));
            Collection<Path> others = named.get();
            for (Path other : others) {
                Seen before = seen.get(other);
                // a file named for the first time is only recorded: the reload that named it read it
                changed |= look(other, before) && before != null;
            }
            seen.keySet().removeIf(watched -> !watched.equals(file) && !others.contains(watched));
            if (changed) {
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("reloading {} failed", file, e);
        }
    }

    /** Records what {@code watched} holds now; true when its content differs from {@code before}. */
    private boolean look(Path watched, Seen before) {
        FileTime modified = modified(watched);
        if (modified == null || before != null && modified.equals(before.modified())) {
            return false;
        }
        byte[] content = read(watched);
        if (content == null) {
            return false;
        }
        seen.put(watched, new Seen(modified, content));
        return before == null || !Arrays.equals(content, before.content());
    }

    private static FileTime modified(Path watched) {
        try {
            return Files.getLastModifiedTime(watched);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] read(Path watched) {
        try {
            return Files.readAllBytes(watched);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
