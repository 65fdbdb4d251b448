package io.portico.core.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests running on one snapshot, so what the snapshot holds (plugin class loaders,
 * health checks) is released only after its last request finished.
 */
public final class InFlight {
    // the count starts at 1: the gateway's own hold, given up when the snapshot is retired
    private final AtomicLong count = new AtomicLong(1);
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    void acquire() {
        count.incrementAndGet();
    }

    void release() {
        if (count.decrementAndGet() == 0) {
            drained.complete(null);
        }
    }

    /** Called once, when a newer snapshot has replaced this one. */
    void retire() {
        release();
    }

    /** Requests running now (plus one while the snapshot is current). */
    public long count() {
        return count.get();
    }

    /** Completes once the snapshot is retired and its last request finished. */
    public CompletableFuture<Void> drained() {
        return drained;
    }
}
