package io.portico.core.script;

import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Context;

/**
 * The calls running now and when each must end. The runtime's watchdog thread looks every few
 * milliseconds and closes the context of a call past its deadline; a call that ends removes
 * itself. Whoever removes a call first wins, so a call that ended in time never has its context
 * closed under the next one, and a call that was stopped knows it.
 *
 * <p>Why not a scheduled task per call: scheduling and cancelling one per call woke the watchdog
 * thread once per call, several percent of a core under load; a look every few milliseconds costs
 * the same at any load, and a stop comes at most that much late.
 */
final class ScriptDeadlines {
    /** How often the watchdog looks; a call is stopped at most this much after its deadline. */
    static final long PERIOD_MILLIS = 5;

    private record Running(Context context, long deadlineNanos) {
    }

    private final ConcurrentHashMap<Object, Running> running = new ConcurrentHashMap<>();

    /** Starts watching a call, known by a token of its own. */
    void start(Object call, Context context, long allowedMillis) {
        running.put(call, new Running(context, System.nanoTime() + allowedMillis * 1_000_000));
    }

    /** Stops watching a call; false when the watchdog stopped it first. */
    boolean end(Object call) {
        return running.remove(call) != null;
    }

    /** Closes the contexts of calls past their deadline (the watchdog thread). */
    void stopOverdue() {
        long now = System.nanoTime();
        running.forEach((call, entry) -> {
            if (now - entry.deadlineNanos() > 0 && running.remove(call, entry)) {
                ScriptSandbox.close(entry.context());
            }
        });
    }
}
