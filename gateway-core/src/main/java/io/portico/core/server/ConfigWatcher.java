package io.portico.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the file, symlinked config maps and secrets, and network file systems all show up as new
 * content, and reading a few small files twice a second costs nothing. Content is compared at
 * every poll, not only when the modification time moved: a file caught half written and finished
 * within the same tick of a coarse clock would otherwise never be read again.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    /** What each watched file held when last looked at; only the scheduler's thread touches it after start. */
    private final Map<Path, byte[]> seen = new HashMap<>();
    private Supplier<? extends Collection<Path>> named = List::of;
    private Runnable onChange;
    private ScheduledFuture<?> task;

    private ConfigWatcher(Path file) {
        this.file = file;
        look(file);
    }

    /**
     * Records what {@code file} holds now, before the configuration is read from it: a change
     * after this moment, even one before {@link #start}, makes a reload. (A reload that finds what
     * already serves changes nothing.)
     */
    public static ConfigWatcher recording(Path file) {
        return new ConfigWatcher(file);
    }

    /** Records what the files the configuration names hold now, before the gateway reads them. */
    public ConfigWatcher recording(Collection<Path> named) {
        for (Path other : named) {
            look(other);
        }
        return this;
    }

    /**
     * Starts polling: {@code named} is asked at every poll, so that a reload naming other files is
     * followed, a file being compared from the first poll that names it. {@code onChange} runs on
     * the scheduler's thread.
     */
    public ConfigWatcher start(Supplier<? extends Collection<Path>> named, Runnable onChange,
                               ScheduledExecutorService scheduler, Duration interval) {
        this.named = named;
        this.onChange = onChange;
        this.task = scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Records what the files hold now and starts polling at once: see {@link #recording} and {@link #start}. */
    public static ConfigWatcher watch(Path file, Supplier<? extends Collection<Path>> named, Runnable onChange,
                                      ScheduledExecutorService scheduler, Duration interval) {
        return recording(file).recording(named.get()).start(named, onChange, scheduler, interval);
    }

    /** Watches {@code file} alone; {@code onChange} runs on the scheduler's thread. */
    public static ConfigWatcher watch(Path file, Runnable onChange, ScheduledExecutorService scheduler,
                                      Duration interval) {
        return watch(file, List::of, onChange, scheduler, interval);
    }

    private void check() {
        try {
            boolean changed = look(file);
            Collection<Path> others = named.get();
            for (Path other : others) {
                boolean known = seen.containsKey(other);
                // a file named for the first time is only recorded: the reload that named it read it
                changed |= look(other) && known;
            }
            seen.keySet().removeIf(watched -> !watched.equals(file) && !others.contains(watched));
            if (changed) {
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("reloading {} failed", file, e);
        }
    }

    /**
     * Records what {@code watched} holds now; true when that differs from what it held before. A
     * file that cannot be read (being replaced, or gone) is left as it was last seen.
     */
    private boolean look(Path watched) {
        byte[] content;
        try {
            content = Files.readAllBytes(watched);
        } catch (IOException e) {
            return false;
        }
        byte[] before = seen.put(watched, content);
        return before == null || !Arrays.equals(content, before);
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
