package io.portico.plugins.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
 * <p>The sender is a platform thread that completes each call itself, as its answer is read:
 * completing a call runs the request on (the rest of a non-blocking pipeline, then the upstream
 * call, which only starts the send), so nothing there blocks. A virtual thread reading Redis'
 * socket parks and is woken through the JDK's poller, and completing on yet another thread woke
 * that one too; together about three context switches per request, measured (performance.md).
 * The cost: on a machine with many cores, one thread sends every batch and starts every
 * continuation.
 *
 * <p>A call that has no answer within the answer time-out fails with a {@link TimeoutException}.
 * One watcher thread keeps those deadlines, for all calls: they all wait the same time, so the
 * oldest call is always the next to fall due, and the watcher sleeps until then. A timer per call
 * ({@code orTimeout}) cost a task scheduled and cancelled in the JDK's shared delay scheduler on
 * every request, and about one and a half context switches per request under load.
 *
 * <p>Both threads end when there is nothing to do (the sender after a few idle seconds) and
 * start again with the next call, so a reloaded plugin leaves no thread parked on the old one.
 */
final class ScriptBatcher {
    private static final int MAX_BATCH = 256;
    private static final int MAX_QUEUED = 16_384;
    private static final long IDLE_SECONDS = 5;

    private record Call(List<String> keys, List<String> arguments, CompletableFuture<Object> result,
                        long deadlineNanos) {
    }

    private final Supplier<UnifiedJedis> client;
    private final String script;
    private final String scriptSha;
    private final long answerTimeoutNanos;
    private final LinkedBlockingQueue<Call> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean draining = new AtomicBoolean();
    // calls in the order they came, so in the order their deadlines fall; only the watcher removes
    private final ConcurrentLinkedQueue<Call> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean watching = new AtomicBoolean();

    ScriptBatcher(Supplier<UnifiedJedis> client, String script, String scriptSha, Duration answerTimeout) {
        this.client = client;
        this.script = script;
        this.scriptSha = scriptSha;
        this.answerTimeoutNanos = answerTimeout.toNanos();
    }

    /**
     * Queues one script call; the result completes with Redis' answer or the failure, or with a
     * {@link TimeoutException} when no answer came within the answer time-out.
     */
    CompletableFuture<Object> submit(List<String> keys, List<String> arguments) {
        Call call = new Call(keys, arguments, new CompletableFuture<>(), System.nanoTime() + answerTimeoutNanos);
        if (!queue.offer(call)) {
            call.result().completeExceptionally(new IllegalStateException(MAX_QUEUED + " calls wait for Redis already"));
            return call.result();
        }
        unanswered.add(call);
        if (watching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("portico-rate-limit-timeouts").start(this::watch);
        }
        if (draining.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("portico-rate-limit-redis").start(this::drain);
        }
        return call.result();
    }

    /** Fails the calls whose deadline passed, sleeping until the oldest one's falls due. */
    private void watch() {
        while (true) {
            Call oldest = unanswered.peek();
            if (oldest == null) {
                watching.set(false);
                // a call added after the peek and before the flag dropped must still be watched
                if (unanswered.isEmpty() || !watching.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (oldest.result().isDone()) {
                unanswered.poll();
                continue;
            }
            long left = oldest.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                unanswered.poll();
                oldest.result().completeExceptionally(new TimeoutException());
                continue;
            }
            LockSupport.parkNanos(left);
        }
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
            batch.forEach(call -> call.result().completeExceptionally(failure));
            return List.of();
        }
        List<Call> unknownScript = new ArrayList<>(0);
        for (int i = 0; i < batch.size(); i++) {
            Call call = batch.get(i);
            try {
                Object answer = answers.get(i).get();
                call.result().complete(answer);
            } catch (JedisDataException error) {
                if (error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT")) {
                    unknownScript.add(call);
                } else {
                    call.result().completeExceptionally(error);
                }
            } catch (RuntimeException failure) {
                call.result().completeExceptionally(failure);
            }
        }
        return unknownScript;
    }
}
