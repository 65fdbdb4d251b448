package io.portico.core.script;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * Where one script file's calls that wait for nothing run: a few workers (one per core), each
 * owning one context of the current version, used by one call at a time. A call takes a free
 * worker's context on its own thread, with no hand-off; when every worker is busy it is queued,
 * and the worker's own thread runs it as soon as the context is free.
 *
 * <p>Why not a context per call from a pool that grows: under load the server has many more
 * threads than cores, and a thread descheduled in the middle of a call holds its context, so the
 * next calls would find every context busy and build more; building one costs milliseconds, and
 * compiled code that has served many contexts is several times slower. Here the contexts are as
 * many as the cores, and a call that finds them busy waits in line instead. A script that runs
 * into its time-out stalls only its own file's workers, never another script.
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

    /** Runs the call with a context of this version; null when every worker has a full queue. */
    <T> CompletableFuture<T> submit(ScriptVersion version, Function<ScriptLease, T> call,
                                    Function<PolyglotException, RuntimeException> translate) {
        int first = Math.floorMod(next.getAndIncrement(), workers.length);
        for (int i = 0; i < workers.length; i++) {
            Worker worker = workers[(first + i) % workers.length];
            if (worker.queue.isEmpty() && worker.lock.tryLock()) {
                try {
                    return worker.run(version, call, translate);
                } finally {
                    worker.lock.unlock();
                }
            }
        }
        Worker worker = workers[first];
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = worker.queue.offer(() -> {
            worker.lock.lock();
            try {
                worker.run(version, call, translate).whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                });
            } finally {
                worker.lock.unlock();
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
        final ReentrantLock lock = new ReentrantLock();
        Thread thread;
        volatile boolean stopped;
        // guarded by lock
        private ScriptVersion version;
        private Context context;
        private boolean fresh;

        @Override
        public void run() {
            try {
                while (true) {
                    queue.take().run();
                }
            } catch (InterruptedException interrupted) {
                // calls still queued fail (they see stopped) rather than wait for ever
                Runnable left;
                while ((left = queue.poll()) != null) {
                    left.run();
                }
                lock.lock();
                try {
                    closeContext();
                } finally {
                    lock.unlock();
                }
            }
        }

        /** Runs one call in this worker's context; the caller holds the lock. */
        <T> CompletableFuture<T> run(ScriptVersion wanted, Function<ScriptLease, T> call,
                                     Function<PolyglotException, RuntimeException> translate) {
            if (stopped) {
                return CompletableFuture.failedFuture(new IllegalStateException("the script was unloaded"));
            }
            ScriptLease lease;
            try {
                lease = lease(wanted);
            } catch (PolyglotException e) {
                return CompletableFuture.failedFuture(translate.apply(e));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            try {
                return CompletableFuture.completedFuture(call.apply(lease));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            } finally {
                // a call hands its lease back itself (this is then a no-op); this covers a failure before it ran
                lease.discard();
            }
        }

        private ScriptLease lease(ScriptVersion wanted) {
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
