package io.portico.plugins.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code redis} policy: one script call per request decides it against all its windows, with
 * Redis' clock. Keys are {@code PREFIX:{SPACE|KEY}:WINDOW}: the braces make every window of a key
 * one cluster hash slot, as a multi-key script needs.
 */
final class RedisStore implements LimitStore {
    private static final long NANOS_PER_MICRO = 1000;

    private final RedisConnection connection;
    private final String keyStart;
    private final int windows;
    private final List<String> fixedArguments;

    RedisStore(CounterSpace space, RedisConnection connection) {
        this.connection = connection;
        this.keyStart = connection.settings().keyPrefix() + ":{" + space.id() + "|";
        this.windows = space.windows().size();
        List<String> arguments = new ArrayList<>();
        arguments.add(space.algorithm() == RateLimitConfig.Algorithm.GCRA ? "gcra" : "sliding-window");
        arguments.add("0");
        for (Window window : space.windows()) {
            arguments.add(Integer.toString(window.requests()));
            arguments.add(Long.toString(window.periodNanos() / NANOS_PER_MICRO));
            arguments.add(Integer.toString(window.burst()));
        }
        this.fixedArguments = List.copyOf(arguments);
    }

    @Override
    public Decision acquire(String key, long maxDelayNanos) throws StoreUnavailableException {
        return decision(connection.evaluate(keys(key), arguments(maxDelayNanos)));
    }

    @Override
    public CompletableFuture<Decision> acquireAsync(String key) {
        return connection.evaluateAsync(keys(key), fixedArguments).thenApply(RedisStore::decision);
    }

    private List<String> keys(String key) {
        String base = keyStart + key + "}:";
        List<String> keys = new ArrayList<>(windows);
        for (int i = 0; i < windows; i++) {
            keys.add(base + i);
        }
        return keys;
    }

    private List<String> arguments(long maxDelayNanos) {
        if (maxDelayNanos <= 0) {
            return fixedArguments;
        }
        List<String> arguments = new ArrayList<>(fixedArguments);
        arguments.set(1, Long.toString(maxDelayNanos / NANOS_PER_MICRO));
        return arguments;
    }

    private static Decision decision(List<Long> result) {
        return new Decision(result.get(0) == 1, result.get(1) * NANOS_PER_MICRO, result.get(2) * NANOS_PER_MICRO,
                result.get(3).intValue(), result.get(4), result.get(5) * NANOS_PER_MICRO);
    }
}
