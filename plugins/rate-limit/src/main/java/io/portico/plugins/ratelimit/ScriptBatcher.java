package io.portico.plugins.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the script calls of many concurrent requests to Redis together: one thread takes what has
 * queued up and hands it to a {@link ScriptSender}, which writes it as one pipeline and reads the
 * answers in order. Each request is still one atomic script call; the round trip, the system calls
 * and Redis' own per-command overhead are shared by the batch, and no request holds a thread or a
 * connection while it waits. Under light load a batch is one call, so nothing waits for company.
 *
 * <p>The sender is a platform thread that completes each call itself, as its answer is read:
 * completing a call runs the request on (the rest of a non-blocking pipeline, then the upstream
 * call, which only starts the send), so nothing there blocks. A virtual thread reading Redis'
 * socket parks and is woken through the JDK's poller, and completing on yet another thread woke
 * that one too; together about three context switches per request, measured (performance.md).
 * The cost: on a machine with many cores, one thread sends every batch and starts every
 * continuation.
 *
 * <p>A call that has no answer within the answer time-out fails ({@link CallDeadlines}).
 *
 * <p>The sender ends after a few idle seconds, closing its connection, and starts again with the
 * next call, so a reloaded plugin leaves no thread parked on the old one.
 */
final class ScriptBatcher implements ScriptCalls {
    private static final int MAX_BATCH = 256;
    private static final int MAX_QUEUED = 16_384;
    private static final long IDLE_SECONDS = 5;

    private final ScriptSender sender;
    private final long answerTimeoutNanos;
    private final LinkedBlockingQueue<ScriptCall> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CallDeadlines deadlines = new CallDeadlines(call -> { });

    ScriptBatcher(ScriptSender sender, Duration answerTimeout) {
        this.sender = sender;
        this.answerTimeoutNanos = answerTimeout.toNanos();
    }

    @Override
    public CompletableFuture<Object> submit(List<String> keys, List<String> arguments) {
        ScriptCall call = new ScriptCall(keys, arguments, new CompletableFuture<>(), System.nanoTime() + answerTimeoutNanos);
        if (!queue.offer(call)) {
            call.result().completeExceptionally(new IllegalStateException(MAX_QUEUED + " calls wait for Redis already"));
            return call.result();
        }
        deadlines.watch(call);
        if (draining.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("portico-rate-limit-redis").start(this::drain);
        }
        return call.result();
    }

    private void drain() {
        List<ScriptCall> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            ScriptCall first;
            try {
                first = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                // closed before the flag drops: a sender thread started after that opens its own
                sender.close();
                draining.set(false);
                // a call queued after the poll gave up and before the flag dropped must not be stranded
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            // a call whose deadline passed in the queue has been answered already: not sent at all
            batch.removeIf(call -> call.result().isDone());
            if (!batch.isEmpty()) {
                sender.send(batch, this::queued);
            }
            batch.clear();
        }
    }

    /** What has queued up, without waiting: a new list, since a sender may keep it in flight. */
    private List<ScriptCall> queued() {
        if (queue.isEmpty()) {
            return List.of();
        }
        List<ScriptCall> calls = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        queue.drainTo(calls, MAX_BATCH);
        calls.removeIf(call -> call.result().isDone());
        return calls;
    }
}
