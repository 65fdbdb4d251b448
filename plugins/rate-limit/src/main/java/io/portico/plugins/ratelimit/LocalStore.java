package io.portico.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code local} policy: counters in this gateway's memory, exact within it. Each key's state
 * changes under that state's own lock, so concurrent requests for one key are decided one after
 * the other. The key space is bounded: past {@code maxKeys} the least used keys are dropped
 * (their callers start afresh), and a key unused for longer than its state can matter expires.
 */
final class LocalStore implements LimitStore {
    private final LocalAlgorithm algorithm;
    private final Cache<String, long[]> cache;
    private final ConcurrentMap<String, long[]> states;
    private final Clock clock;

    LocalStore(CounterSpace space, int maxKeys, Clock clock) {
        this.algorithm = LocalAlgorithm.of(space);
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(relevance(space))
                // upkeep on the caller's thread: no shared pool, and eviction happens when it is due
                .executor(Runnable::run)
                .build();
        this.states = cache.asMap();
    }

    @Override
    public Decision acquire(String key, long maxDelayNanos) {
        // a read of the cache, then the key's own lock: a compute() would be a write, and each write
        // runs the cache's upkeep; a state evicted while a request holds it loses that one count,
        // which only the least used keys past max-keys can meet. Not cache.get(key, function): its
        // hit path cost 0.5 to 1.0% of a profile's samples against 0.2 to 0.6% for this map read
        long[] state = states.get(key);
        if (state == null) {
            state = states.computeIfAbsent(key, k -> new long[algorithm.stateLength()]);
        }
        synchronized (state) {
            // read under the lock: a request holding an earlier time must not roll a window back
            return algorithm.decide(state, epochNanos(clock.instant()), maxDelayNanos);
        }
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    /** How many keys are counted now, after pending evictions: for tests. */
    long keys() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** How long after its last use a key's state can still change a decision. */
    private static Duration relevance(CounterSpace space) {
        long longest = 0;
        for (Window window : space.windows()) {
            long span = switch (space.algorithm()) {
                case GCRA -> window.burst() * window.intervalNanos();
                case SLIDING_WINDOW -> 2 * window.periodNanos();
            };
            longest = Math.max(longest, span);
        }
        // a minute more covers a throttle delay, which can hold a GCRA state ahead of now
        return Duration.ofNanos(longest).plusMinutes(1);
    }

    static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
