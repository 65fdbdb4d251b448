package io.portico.plugins.ratelimit;

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
}
