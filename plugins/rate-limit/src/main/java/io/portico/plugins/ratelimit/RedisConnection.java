package io.portico.plugins.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import io.portico.api.Sockets;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * One Redis (node, Sentinel primary or cluster) shared by every place configured with the same
 * settings, behind a circuit breaker. The client is made at the first call, not at configuration
 * load, so a gateway starts while Redis is down and the configured failure policy applies.
 * Each call runs the rate-limit script once: EVALSHA, and EVAL when Redis does not know the script
 * (first use, or a restarted Redis); EVAL also caches it for the next EVALSHA. Calls to one node
 * go on a connection on the gateway's event loop ({@link EventLoopScripts}); with TLS (which those
 * connections do not speak), in batches on a Jedis connection of a sender thread's own
 * ({@link OverlappedSender}); to a Sentinel-managed primary or a cluster, in batches through Jedis'
 * client, which finds the node ({@link PipelineSender}).
 */
final class RedisConnection {
    private final RedisSettings settings;
    private final CircuitBreaker circuit;
    private final ReentrantLock creating = new ReentrantLock();
    private final AtomicLong calls = new AtomicLong();
    private final LuaScript script;
    private final ScriptCalls scriptCalls;
    private final long answerTimeoutMillis;
    private volatile UnifiedJedis client;

    /**
     * @param sockets the gateway's event-loop sockets, or null outside a gateway (then a connection
     *                of Jedis' own carries calls to one node)
     */
    RedisConnection(RedisSettings settings, Clock clock, Sockets sockets) {
        this.settings = settings;
        this.circuit = new CircuitBreaker(settings.circuit().failures(), settings.circuit().openFor(), clock);
        this.script = LuaScript.of(readScript());
        this.answerTimeoutMillis = 4 * settings.timeout().toMillis();
        this.scriptCalls = scriptCalls(sockets, Duration.ofMillis(answerTimeoutMillis));
    }

    /**
     * Runs the script with these keys and arguments, waiting for the answer.
     *
     * @throws StoreUnavailableException when the circuit is open or the call failed
     */
    List<Long> evaluate(List<String> keys, List<String> arguments) throws StoreUnavailableException {
        try {
            return evaluateAsync(keys, arguments).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreUnavailableException unavailable) {
                throw unavailable;
            }
            throw e;
        }
    }

    /**
     * Runs the script with these keys and arguments, in the next pipelined batch.
     *
     * @return the script's answer; fails with {@link StoreUnavailableException} when the circuit is
     *         open, the call failed, or no answer came within four times the timeout (a batch
     *         ahead of this one, and this one, may each take a timeout per read; a cold start more)
     */
    @SuppressWarnings("unchecked")
    CompletableFuture<List<Long>> evaluateAsync(List<String> keys, List<String> arguments) {
        if (!circuit.tryCall()) {
            return CompletableFuture.failedFuture(
                    new StoreUnavailableException("the Redis circuit is open after repeated failures", null));
        }
        calls.incrementAndGet();
        return scriptCalls.submit(keys, arguments).handle((result, failure) -> {
            if (failure == null) {
                circuit.succeeded();
                return (List<Long>) result;
            }
            circuit.failed();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String why = cause instanceof java.util.concurrent.TimeoutException
                    ? "no answer within " + answerTimeoutMillis + " ms" : String.valueOf(cause.getMessage());
            throw new CompletionException(new StoreUnavailableException(
                    "Redis at " + describe() + " failed: " + why, cause));
        });
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

    private ScriptCalls scriptCalls(Sockets sockets, Duration answerTimeout) {
        if (settings.sentinel() != null || settings.cluster() != null) {
            return new ScriptBatcher(new PipelineSender(this::client, script), answerTimeout);
        }
        HostAndPort node = RedisClients.node(settings);
        if (sockets != null && !RedisClients.tls(settings)) {
            return new EventLoopScripts(sockets, node.getHost(), node.getPort(), settings.timeout(), answerTimeout,
                    RedisClients.setupCommands(settings), script);
        }
        return new ScriptBatcher(new OverlappedSender(
                () -> new NodeConnection(node, RedisClients.clientConfig(settings)), script), answerTimeout);
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

    static String readScript() {
        try (InputStream in = RedisConnection.class.getResourceAsStream("rate-limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("rate-limit.lua is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
