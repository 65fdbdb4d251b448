package io.portico.core.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugins of one configuration get as their scheduler: the gateway's shared one, seen
 * through a window that remembers what was scheduled through it. When the configuration is
 * retired (its last request finished, it never served because it was refused, or the gateway
 * stops), every task still pending or repeating is cancelled, as the plugin API promises; a
 * plugin that shuts "its" scheduler down stops only its own configuration's tasks, never the
 * gateway's. The configuration's filters that are {@link AutoCloseable} are closed then too: the
 * same moment ends both, so they are kept in one place.
 */
final class RetiringScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private static final Logger LOG = LoggerFactory.getLogger(RetiringScheduler.class);

    private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();
    private final List<NamedCloseable> closeables = new CopyOnWriteArrayList<>();
    private volatile ScheduledExecutorService shared;
    private volatile boolean retired;

    /**
     * This window over the scheduler the plugin catalog lends (one for the whole gateway), known
     * once the first filter of the configuration is created.
     */
    RetiringScheduler over(ScheduledExecutorService lent) {
        if (shared == null) {
            shared = lent;
        }
        return this;
    }

    private record NamedCloseable(String name, AutoCloseable closeable) {
    }

    /** Closes {@code filter} on retirement; {@code name} is the plugin's, for the log. */
    void closeOnRetire(String name, AutoCloseable filter) {
        closeables.add(new NamedCloseable(name, filter));
    }

    /**
     * Cancels every task scheduled through this window, refuses new ones, and closes the filters
     * registered with {@link #closeOnRetire}, each once; a filter that fails to close is logged.
     */
    void retire() {
        retired = true;
        tasks.forEach(task -> task.cancel(false));
        tasks.clear();
        for (NamedCloseable entry : closeables) {
            if (closeables.remove(entry)) {
                try {
                    entry.closeable().close();
                } catch (Exception | LinkageError e) {
                    LOG.warn("closing a filter of plugin '{}' failed", entry.name(), e);
                }
            }
        }
    }

    private <F extends Future<?>> F track(F task) {
        tasks.add(task);
        if (retired) {
            task.cancel(false);
        }
        // one-shot tasks forget themselves; repeating ones stay until retired
        tasks.removeIf(Future::isDone);
        return task;
    }

    private void open() {
        if (retired || shared == null) {
            throw new RejectedExecutionException("the configuration this plugin was created for is retired");
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        open();
        return track(shared.schedule(command, delay, unit));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        open();
        return track(shared.schedule(callable, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        open();
        return track(shared.scheduleAtFixedRate(command, initialDelay, period, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        open();
        return track(shared.scheduleWithFixedDelay(command, initialDelay, delay, unit));
    }

    @Override
    public void execute(Runnable command) {
        open();
        track(shared.schedule(command, 0, TimeUnit.NANOSECONDS));
    }

    @Override
    public void shutdown() {
        retire();
    }

    @Override
    public List<Runnable> shutdownNow() {
        retire();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return retired;
    }

    @Override
    public boolean isTerminated() {
        return retired && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
