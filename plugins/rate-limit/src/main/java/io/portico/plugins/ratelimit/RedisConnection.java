package io.portico.plugins.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Redis (node, Sentinel primary or cluster) shared by every place configured with the same
 * settings, behind a circuit breaker. The client is made at the first call, not at configuration
 * load, so a gateway starts while Redis is down and the configured failure policy applies.
 * Each call runs the rate-limit script once: EVALSHA, and EVAL when Redis does not know the script
 * (first use, or a restarted Redis); EVAL also caches it for the next EVALSHA.
 */
final class RedisConnection {
    private final RedisSettings settings;
    private final CircuitBreaker circuit;
    private final ReentrantLock creating = new ReentrantLock();
    private final AtomicLong calls = new AtomicLong();
    private final String script;
    private final String scriptSha;
    private volatile UnifiedJedis client;

    RedisConnection(RedisSettings settings, Clock clock) {
        this.settings = settings;
        this.circuit = new CircuitBreaker(settings.circuit().failures(), settings.circuit().openFor(), clock);
        this.script = readScript();
        this.scriptSha = sha1(script);
    }

    /**
     * Runs the script with these keys and arguments.
     *
     * @throws StoreUnavailableException when the circuit is open or the call failed
     */
    @SuppressWarnings("unchecked")
    List<Long> evaluate(List<String> keys, List<String> arguments) throws StoreUnavailableException {
        if (!circuit.tryCall()) {
            throw new StoreUnavailableException("the Redis circuit is open after repeated failures", null);
        }
        calls.incrementAndGet();
        try {
            UnifiedJedis redis = client();
            Object result;
            try {
                result = redis.evalsha(scriptSha, keys, arguments);
            } catch (JedisNoScriptException e) {
                result = redis.eval(script, keys, arguments);
            }
            circuit.succeeded();
            return (List<Long>) result;
        } catch (RuntimeException e) {
            circuit.failed();
            throw new StoreUnavailableException("Redis at " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    /** Calls that reached for Redis (the circuit let them go): for tests and logs. */
    long calls() {
        return calls.get();
    }

    boolean circuitOpen() {
        return circuit.isOpen();
    }

    RedisSettings settings() {
        return settings;
    }

    private UnifiedJedis client() {
        UnifiedJedis current = client;
        if (current != null) {
            return current;
        }
        creating.lock();
        try {
            if (client == null) {
                client = RedisClients.create(settings);
            }
            return client;
        } finally {
            creating.unlock();
        }
    }

    String describe() {
        if (settings.sentinel() != null) {
            return "sentinel primary " + settings.sentinel().master();
        }
        if (settings.cluster() != null) {
            return "cluster " + settings.cluster().nodes();
        }
        java.net.URI url = java.net.URI.create(settings.url());
        return url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    }

    private static String readScript() {
        try (InputStream in = RedisConnection.class.getResourceAsStream("rate-limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("rate-limit.lua is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
