package io.portico.plugins.ratelimit;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Fails script calls that have no answer by their deadline, with a {@link TimeoutException}. One
 * watcher thread keeps the deadlines of all calls: they all wait the same time, so the oldest call
 * is always the next to fall due, and the watcher sleeps until then. A timer per call
 * ({@code orTimeout}) cost a task scheduled and cancelled in the JDK's shared delay scheduler on
 * every request, and about one and a half context switches per request under load. The watcher
 * ends when no call waits, and starts again with the next.
 */
final class CallDeadlines {
    // calls in the order they came, so in the order their deadlines fall; only the watcher removes
    private final ConcurrentLinkedQueue<ScriptCall> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean watching = new AtomicBoolean();
    private final Consumer<ScriptCall> expired;

    /** @param expired told of each call this failed, on the watcher thread */
    CallDeadlines(Consumer<ScriptCall> expired) {
        this.expired = expired;
    }

    /** Watches a call, whose deadline must not be earlier than those of the calls watched before it. */
    void watch(ScriptCall call) {
        unanswered.add(call);
        if (watching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("portico-rate-limit-timeouts").start(this::run);
        }
    }

    private void run() {
        while (true) {
            ScriptCall oldest = unanswered.peek();
            if (oldest == null) {
                watching.set(false);
                // a call added after the peek and before the flag dropped must still be watched
                if (unanswered.isEmpty() || !watching.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (oldest.result().isDone()) {
                unanswered.poll();
                continue;
            }
            long left = oldest.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                unanswered.poll();
                if (oldest.result().completeExceptionally(new TimeoutException())) {
                    expired.accept(oldest);
                }
                continue;
            }
            LockSupport.parkNanos(left);
        }
    }
}
