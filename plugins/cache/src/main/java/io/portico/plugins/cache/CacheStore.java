package io.portico.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One named store: resources by {@link PrimaryKey}, each with its {@link Variants}, bounded by the
 * bytes they hold (Caffeine's size-aware W-TinyLFU eviction), each dropped once nothing can use it
 * any more. Also tracks which keys are being fetched, so concurrent misses wait for one fetch.
 */
final class CacheStore {
    private final Cache<PrimaryKey, Variants> entries;
    private final ConcurrentMap<PrimaryKey, CompletableFuture<Void>> fetching = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile long maxBytes;

    CacheStore(long maxBytes, Clock clock) {
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((PrimaryKey key, Variants variants) -> (int) Math.min(Integer.MAX_VALUE, variants.weight()))
                .expireAfter(Expiry.writing((PrimaryKey key, Variants variants) -> lifetime(variants)))
                // expiry follows the plugin's clock, so a test clock moves it too
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /** Sets the byte bound; whether it changed. */
    boolean resize(long newMaxBytes) {
        if (newMaxBytes == maxBytes) {
            return false;
        }
        maxBytes = newMaxBytes;
        entries.policy().eviction().ifPresent(eviction -> eviction.setMaximum(newMaxBytes));
        return true;
    }

    Variants get(PrimaryKey key) {
        return entries.getIfPresent(key);
    }

    /** Adds or replaces one variant of {@code key}. */
    void put(PrimaryKey key, List<String> varyNames, StoredResponse response) {
        entries.asMap().compute(key, (k, existing) ->
                existing == null ? new Variants(varyNames, List.of(response)) : existing.with(varyNames, response));
    }

    /** Removes one variant of {@code key}, when it is still the stored one. */
    void remove(PrimaryKey key, StoredResponse response) {
        entries.asMap().computeIfPresent(key, (k, existing) -> existing.without(response));
    }

    /** Removes every resource whose key matches; how many were removed. */
    int purge(Predicate<PrimaryKey> matching) {
        int removed = 0;
        for (PrimaryKey key : List.copyOf(entries.asMap().keySet())) {
            if (matching.test(key) && entries.asMap().remove(key) != null) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Claims the fetch of {@code key} for the caller: {@code null} when the caller now leads and must
     * call {@link #finish}; otherwise the running fetch, to wait for.
     */
    CompletableFuture<Void> lead(PrimaryKey key) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = fetching.putIfAbsent(key, mine);
        return running;
    }

    /** Ends a fetch claimed with {@link #lead}, waking whoever waits for it. */
    void finish(PrimaryKey key) {
        CompletableFuture<Void> mine = fetching.remove(key);
        if (mine != null) {
            mine.complete(null);
        }
    }

    /** The bytes held now, as weighed (after pending evictions run). */
    long weightedSize() {
        entries.cleanUp();
        return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private Duration lifetime(Variants variants) {
        long now = clock.millis();
        long until = now;
        for (StoredResponse response : variants.responses()) {
            until = Math.max(until, response.keepUntil().toEpochMilli());
        }
        return Duration.ofMillis(Math.max(1, until - now));
    }
}
