package io.portico.plugins.ratelimit;

import java.util.concurrent.CompletableFuture;

/** Where counters live: this gateway's memory, or Redis. */
interface LimitStore {

    /**
     * Counts one request for {@code key} against every window, atomically: it is counted in all of
     * them or, when refused, in none.
     *
     * @param maxDelayNanos with GCRA, how long the request may wait for its turn (throttle mode);
     *                      0 to refuse rather than wait
     * @throws StoreUnavailableException when the store cannot answer
     */
    Decision acquire(String key, long maxDelayNanos) throws StoreUnavailableException;

    /** Whether {@link #acquire} answers from this gateway's memory, without waiting for anything. */
    default boolean inMemory() {
        return false;
    }

    /**
     * {@link #acquire} without waiting: the stage fails with {@link StoreUnavailableException} when
     * the store cannot answer. In memory this is the same call, answered at once.
     */
    default CompletableFuture<Decision> acquireAsync(String key) {
        try {
            return CompletableFuture.completedFuture(acquire(key, 0));
        } catch (StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
