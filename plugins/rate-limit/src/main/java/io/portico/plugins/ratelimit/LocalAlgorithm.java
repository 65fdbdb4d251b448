package io.portico.plugins.ratelimit;

/**
 * The counting arithmetic of the {@code local} policy, on one key's state. The state is a
 * {@code long[]} that the store keeps per key and hands in under that key's lock, so a decision
 * reads and writes it without racing another request for the same key. The Redis policy does the
 * same arithmetic in {@code rate-limit.lua}.
 */
interface LocalAlgorithm {

    /** The length of a new key's state; a new state is all zeros. */
    int stateLength();

    /** Decides one request at {@code nowNanos} (epoch nanoseconds), updating the state when admitted. */
    Decision decide(long[] state, long nowNanos, long maxDelayNanos);

    static LocalAlgorithm of(CounterSpace space) {
        return switch (space.algorithm()) {
            case GCRA -> new Gcra(space.windows());
            case SLIDING_WINDOW -> new SlidingWindow(space.windows());
        };
    }
}
