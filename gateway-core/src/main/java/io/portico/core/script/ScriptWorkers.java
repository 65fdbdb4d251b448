package io.portico.core.script;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * The threads that run one script file's calls that wait for nothing. Each worker owns one context
 * of the current version and runs the calls queued to it one after another.
 *
 * <p>Why not run a call on the request's own thread with a pooled context: under load the server
 * has many more threads than cores, a thread is often descheduled in the middle of a call while
 * holding its context, and the next calls find every context busy; more contexts make GraalJS'
 * compiled code several times slower. A worker is never interrupted by another call, its context
 * is only ever entered by its own thread, and a busy worker takes the next call without a wake-up.
 * A script that runs into its time-out stalls only its own file's workers, never another script.
 */
final class ScriptWorkers implements AutoCloseable {
    private static final int MAX_QUEUED = 10_000;

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();

    ScriptWorkers(String name, int count) {
        this.workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker();
            Thread thread = new Thread(workers[i], "portico-js-" + name + "-" + i);
            thread.setDaemon(true);
            workers[i].thread = thread;
            thread.start();
        }
    }

    /**
     * Runs the call on a worker with a context of this version; the result completes there, or
     * empty-handed (null) when the workers' queue is full.
     */
    <T> CompletableFuture<T> submit(ScriptVersion version, Function<ScriptLease, T> call,
                                    Function<PolyglotException, RuntimeException> translate) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Worker worker = workers[Math.floorMod(next.getAndIncrement(), workers.length)];
        if (worker.stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException("the script was unloaded"));
        }
        boolean queued = worker.queue.offer(() -> {
            if (worker.stopped) {
                result.completeExceptionally(new IllegalStateException("the script was unloaded"));
                return;
            }
            ScriptLease lease;
            try {
                lease = worker.lease(version);
            } catch (PolyglotException e) {
                result.completeExceptionally(translate.apply(e));
                return;
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            try {
                result.complete(call.apply(lease));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                // a call hands its lease back itself (this is then a no-op); this covers a failure before it ran
                lease.discard();
            }
        });
        return queued ? result : null;
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.stopped = true;
            worker.thread.interrupt();
        }
    }

    private static final class Worker implements Runnable, ScriptLease.Home {
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
        Thread thread;
        volatile boolean stopped;
        // touched by the worker's thread only
        private ScriptVersion version;
        private Context context;
        private boolean fresh;

        @Override
        public void run() {
            try {
                while (true) {
                    queue.take().run();
                }
            } catch (InterruptedException stopped) {
                closeContext();
                // calls still queued fail (they see stopped) rather than wait for ever
                Runnable left;
                while ((left = queue.poll()) != null) {
                    left.run();
                }
            }
        }

        ScriptLease lease(ScriptVersion wanted) {
            if (wanted != version || context == null) {
                closeContext();
                version = wanted;
                context = wanted.newContext();
                fresh = true;
            }
            return new ScriptLease(context, fresh, this);
        }

        @Override
        public void giveBack(ScriptLease lease) {
            fresh = false;
            if (version.closed()) {
                closeContext();
            }
        }

        @Override
        public void discard(ScriptLease lease) {
            closeContext();
        }

        private void closeContext() {
            if (context != null) {
                ScriptSandbox.close(context);
                context = null;
            }
        }
    }
}
