package io.portico.plugins.ratelimit;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load run: a few virtual threads each send a request, pause, and send the next, for a
 * fixed duration, every request under a key of its own (so none is limited). Statuses are counted
 * and every answer that is not a 200 is kept for the assertion message.
 */
final class Load {
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> oddAnswers = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicInteger sentAfterMark = new AtomicInteger();
    private volatile boolean marked;

    /** Runs {@code during} on the calling thread while the load runs, then waits for the load to end. */
    static Load run(Calls calls, int threads, Duration length, ThrowingConsumer during) throws Exception {
        Load load = new Load();
        long end = System.nanoTime() + length.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        load.send(calls);
                        Thread.sleep(20);
                    }
                    return null;
                });
            }
            during.accept(load);
        }
        return load;
    }

    /** From now on, requests sent are counted by {@link #sentAfterMark()}. */
    void mark() {
        marked = true;
    }

    int sentAfterMark() {
        return sentAfterMark.get();
    }

    private void send(Calls calls) {
        String key = "load-" + keys.incrementAndGet();
        if (marked) {
            sentAfterMark.incrementAndGet();
        }
        try {
            HttpResponse<String> response = calls.get("/api/x", "X-Key", key);
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() != 200 && oddAnswers.size() < 5) {
                oddAnswers.put(key, response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("")
                        + " " + response.body());
            }
        } catch (Exception e) {
            statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
            oddAnswers.put(key, e.toString());
        }
    }

    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.get()));
        return counted;
    }

    int count(int status) {
        AtomicInteger count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    int total() {
        return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public String toString() {
        return statuses() + " " + oddAnswers;
    }

    @FunctionalInterface
    interface ThrowingConsumer {
        void accept(Load load) throws Exception;
    }
}
