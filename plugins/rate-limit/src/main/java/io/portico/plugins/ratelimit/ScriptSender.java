package io.portico.plugins.ratelimit;

import java.util.List;
import java.util.function.Supplier;

/** Sends batches of script calls to Redis; used by the batcher's one sender thread only. */
interface ScriptSender {

    /**
     * Sends this batch and completes every call in it. May take further batches from {@code more}
     * (which never waits, and gives an empty list when nothing is queued) while answers are on their
     * way; every call taken is completed before this returns.
     */
    void send(List<ScriptCall> batch, Supplier<List<ScriptCall>> more);

    /** Lets go of the connection; the next send opens one again. */
    void close();
}
