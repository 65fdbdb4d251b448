package io.portico.plugins.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Sends the script calls of many concurrent requests to Redis together: one thread takes what has
 * queued up, writes it as one pipeline and reads the answers in order. Each request is still one
 * atomic script call; the round trip, the system calls and Redis' own per-command overhead are
 * shared by the batch, and no request holds a thread or a connection while it waits. Under light
 * load a batch is one call, so nothing waits for company.
 *
 * <p>The thread ends after a few idle seconds and starts again with the next call, so a reloaded
 * plugin leaves no thread parked on the old one.
 */
final class ScriptBatcher {
    private static final int MAX_BATCH = 256;
    private static final int MAX_QUEUED = 16_384;
    private static final long IDLE_SECONDS = 5;

    private record Call(List<String> keys, List<String> arguments, CompletableFuture<Object> result) {
    }

    private final Supplier<UnifiedJedis> client;
    private final String script;
    private final String scriptSha;
    private final LinkedBlockingQueue<Call> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean draining = new AtomicBoolean();

    ScriptBatcher(Supplier<UnifiedJedis> client, String script, String scriptSha) {
        this.client = client;
        this.script = script;
        this.scriptSha = scriptSha;
    }

    /** Queues one script call; the result completes with Redis' answer or the failure. */
    CompletableFuture<Object> submit(List<String> keys, List<String> arguments) {
        Call call = new Call(keys, arguments, new CompletableFuture<>());
        if (!queue.offer(call)) {
            call.result().completeExceptionally(new IllegalStateException(MAX_QUEUED + " calls wait for Redis already"));
            return call.result();
        }
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("portico-rate-limit-redis").start(this::drain);
        }
        return call.result();
    }

    private void drain() {
        List<Call> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Call first;
            try {
                first = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                draining.set(false);
                // a call queued after the poll gave up and before the flag dropped must not be stranded
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            send(batch);
            batch.clear();
        }
    }

    private void send(List<Call> batch) {
        List<Call> unknownScript = sendOnce(batch);
        if (unknownScript.isEmpty()) {
            return;
        }
        // a Redis that restarted (or never saw the script) answers NOSCRIPT: load it once, send those again
        try {
            client.get().scriptLoad(script);
        } catch (RuntimeException failure) {
            unknownScript.forEach(call -> call.result().completeExceptionally(failure));
            return;
        }
        sendOnce(unknownScript).forEach(call -> call.result().completeExceptionally(
                new IllegalStateException("Redis does not keep the rate-limit script")));
    }

    /** @return the calls Redis answered NOSCRIPT; every other call is completed */
    private List<Call> sendOnce(List<Call> batch) {
        List<Response<Object>> answers = new ArrayList<>(batch.size());
        try (AbstractPipeline pipeline = client.get().pipelined()) {
            for (Call call : batch) {
                answers.add(pipeline.evalsha(scriptSha, call.keys(), call.arguments()));
            }
            pipeline.sync();
        } catch (RuntimeException failure) {
            List<Call> failed = List.copyOf(batch);
            completeElsewhere(() -> failed.forEach(call -> call.result().completeExceptionally(failure)));
            return List.of();
        }
        List<Call> unknownScript = new ArrayList<>(0);
        List<Runnable> completions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Call call = batch.get(i);
            try {
                Object answer = answers.get(i).get();
                completions.add(() -> call.result().complete(answer));
            } catch (JedisDataException error) {
                if (error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT")) {
                    unknownScript.add(call);
                } else {
                    completions.add(() -> call.result().completeExceptionally(error));
                }
            } catch (RuntimeException failure) {
                completions.add(() -> call.result().completeExceptionally(failure));
            }
        }
        completeElsewhere(() -> completions.forEach(Runnable::run));
        return unknownScript;
    }

    /**
     * Completing a call runs its request on (to the upstream and back): on a thread of its own, so
     * that this one sends the next batch at once instead of leaving Redis idle meanwhile.
     */
    private static void completeElsewhere(Runnable completions) {
        Thread.ofVirtual().name("portico-rate-limit-answers").start(completions);
    }
}
