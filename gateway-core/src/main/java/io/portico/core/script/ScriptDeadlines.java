package io.portico.core.script;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Context;

/**
 * The calls running now and when each must end. The watchdog thread looks every few milliseconds
 * and closes the context of a call past its deadline; a call that ends removes itself. Whoever
 * removes a call first wins, so a call that ended in time never has its context closed under the
 * next one, and a call that was stopped knows it.
 *
 * <p>Why not a scheduled task per call: scheduling and cancelling one per call woke the watchdog
 * thread once per call, several percent of a core under load; a look every few milliseconds costs
 * the same at any load, and a stop comes at most that much late.
 *
 * <p>Time the whole process stood still is not held against a call. A look that comes much later
 * than its period means the watchdog could not run: a garbage-collection pause or another
 * safepoint, which stops the script's thread as well. While GraalJS compiles, young pauses of 40 to
 * 70 ms were measured on a small heap, and a trivial script's 50 ms ran out inside one. Such a
 * lateness moves the deadline of every call it overlapped, by as much as it overlapped, up to
 * {@link #MOST_CREDIT_NANOS} in all per call; past that a call is stopped however its time went.
 * (The statement limit does not depend on time at all.)
 */
final class ScriptDeadlines {
    /** How often the watchdog looks; a call is stopped at most this much after its deadline. */
    static final long PERIOD_MILLIS = 5;
    private static final long PERIOD_NANOS = PERIOD_MILLIS * 1_000_000;
    /** A look this much later than due means the process stood still. */
    private static final long STALL_NANOS = 4 * PERIOD_NANOS;
    /** The most a call's deadline moves for the process standing still. */
    static final long MOST_CREDIT_NANOS = 1_000_000_000L;

    private record Running(Context context, long startNanos, long allowedNanos, long deadlineNanos) {
        /** This call with its deadline moved by the part of a stall that it overlapped. */
        Running credited(long stallNanos, long nowNanos) {
            long overlapped = Math.min(stallNanos, nowNanos - startNanos);
            long latest = startNanos + allowedNanos + MOST_CREDIT_NANOS;
            return new Running(context, startNanos, allowedNanos, Math.min(deadlineNanos + overlapped, latest));
        }
    }

    private final ConcurrentHashMap<Object, Running> running = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Consumer<Context> stop;
    /** When the watchdog last looked (its thread's own). */
    private long lastLookNanos;

    /**
     * @param nanoTime the clock ({@code System::nanoTime})
     * @param stop     what stops a call's context ({@code ScriptSandbox::close})
     */
    ScriptDeadlines(LongSupplier nanoTime, Consumer<Context> stop) {
        this.nanoTime = nanoTime;
        this.stop = stop;
        this.lastLookNanos = nanoTime.getAsLong();
    }

    /** Starts watching a call, known by a token of its own. */
    void start(Object call, Context context, long allowedMillis) {
        long now = nanoTime.getAsLong();
        long allowed = allowedMillis * 1_000_000;
        running.put(call, new Running(context, now, allowed, now + allowed));
    }

    /** Stops watching a call; false when the watchdog stopped it first. */
    boolean end(Object call) {
        return running.remove(call) != null;
    }

    /** Closes the contexts of calls past their deadline (the watchdog thread, every period). */
    void stopOverdue() {
        long now = nanoTime.getAsLong();
        long late = now - lastLookNanos - PERIOD_NANOS;
        lastLookNanos = now;
        long stall = late > STALL_NANOS ? late : 0;
        running.forEach((call, entry) -> {
            Running current = entry;
            if (stall > 0) {
                current = entry.credited(stall, now);
                if (!running.replace(call, entry, current)) {
                    return;
                }
            }
            if (now - current.deadlineNanos() > 0 && running.remove(call, current)) {
                stop.accept(current.context());
            }
        });
    }
}
