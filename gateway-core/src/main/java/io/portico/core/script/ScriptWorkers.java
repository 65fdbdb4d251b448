package io.portico.core.script;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
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
 * many as the cores, and a call that finds them busy waits in line instead.
 *
 * <p>The calling thread is often a selector that serves many connections. A script that loops into
 * its time-out (or its statement limit) would stall all of them on every call, and building a
 * context again after a failed call takes milliseconds; so after a call that failed, the script's
 * calls are handed to its workers' own threads for a while (5 s, doubling while it keeps failing,
 * up to 5 minutes): a script that loops then stalls only its own calls, never another connection
 * or script. Slowness alone does not count: a call's wall time on a busy core includes the time
 * its thread was descheduled or stopped for a collection, which says nothing about the script.
 */
final class ScriptWorkers implements AutoCloseable {
    private static final int MAX_QUEUED = 10_000;
    private static final long FIRST_HAND_OFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long LONGEST_HAND_OFF_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    // written rarely and racily on purpose: a lost update costs one more call in the wrong place;
    // 0 while calls run on their caller's thread, else the System.nanoTime() the hand-off ends
    private volatile long handOffUntil;
    private volatile long handOffNanos = FIRST_HAND_OFF_NANOS;

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
        boolean inline = handOffUntil == 0 || handOffOver();
        for (int i = 0; inline && i < workers.length; i++) {
            Worker worker = workers[(first + i) % workers.length];
            if (worker.queue.isEmpty() && worker.lock.tryLock()) {
                try {
                    CompletableFuture<T> result = worker.run(version, call, translate);
                    if (worker.lastCallFailed) {
                        startHandingOff();
                    } else if (handOffNanos != FIRST_HAND_OFF_NANOS) {
                        handOffNanos = FIRST_HAND_OFF_NANOS;
                    }
                    return result;
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

    /** Whether calls run on their caller's thread again (the script has served its time). */
    private boolean handOffOver() {
        if (System.nanoTime() - handOffUntil < 0) {
            return false;
        }
        handOffUntil = 0;
        return true;
    }

    private void startHandingOff() {
        long period = handOffNanos;
        handOffUntil = (System.nanoTime() + period) | 1; // never 0, which means no hand-off
        // an offence on the first call after a hand-off ends makes the next one twice as long
        handOffNanos = Math.min(LONGEST_HAND_OFF_NANOS, period * 2);
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
        private ScriptContext context;
        private boolean fresh;
        /** Whether the last call ended in a time-out, a limit or an error, losing its context. */
        boolean lastCallFailed;

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
            lastCallFailed = false;
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
            lastCallFailed = true;
            closeContext();
        }

        private void closeContext() {
            if (context != null) {
                ScriptSandbox.close(context.context());
                context = null;
            }
        }
    }
}
