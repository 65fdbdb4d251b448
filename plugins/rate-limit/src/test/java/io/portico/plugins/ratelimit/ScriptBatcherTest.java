package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;

/** The batcher and its sender to one node, against a real redis-server. */
class ScriptBatcherTest {
    private static final String SCRIPT = "return {tonumber(ARGV[1])}";

    private static ScriptBatcher batcher(RedisServer redis, Duration socketTimeout, Duration answerTimeout) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis((int) socketTimeout.toMillis()).build();
        // the script is not loaded: the first call of each test falls back to EVAL
        OverlappedSender sender = new OverlappedSender(
                () -> new NodeConnection(new HostAndPort("127.0.0.1", redis.port()), config), LuaScript.of(SCRIPT));
        return new ScriptBatcher(sender, answerTimeout);
    }

    @Test
    void everyCallGetsItsOwnAnswer_whileBatchesOverlap_andAScriptFlushInTheMiddleFallsBackToEval() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            ScriptBatcher batcher = batcher(redis, Duration.ofSeconds(5), Duration.ofSeconds(10));
            List<Thread> submitters = new ArrayList<>();
            List<List<CompletableFuture<Object>>> perThread = new ArrayList<>();
            AtomicReference<String> flushed = new AtomicReference<>();
            for (int t = 0; t < 4; t++) {
                List<CompletableFuture<Object>> mine = new ArrayList<>();
                perThread.add(mine);
                int submitter = t;
                submitters.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        // completing runs on the sender thread, as a request's filters would: while these
                        // pause, more calls queue up and the next batch goes out before this one completes
                        mine.add(batcher.submit(List.of("k"), List.of(Integer.toString(submitter * 1000 + i)))
                                .thenApply(answer -> {
                                    LockSupport.parkNanos(20_000);
                                    return answer;
                                }));
                        if (submitter == 0 && i == 500) {
                            // half-way, with Redis keeping the script (EVAL made it) and the other
                            // submitters' calls on their way, Redis forgets it
                            mine.get(499).join();
                            flushed.set(redis.command("SCRIPT FLUSH"));
                        }
                        if (i % 50 == 0) {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }));
            }
            for (Thread submitter : submitters) {
                submitter.join();
            }
            assertEquals("OK", flushed.get());
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 1000; i++) {
                    assertEquals(List.of((long) (t * 1000 + i)), perThread.get(t).get(i).get(10, TimeUnit.SECONDS),
                            "call " + i + " of submitter " + t);
                }
            }
        }
    }

    @Test
    void answersComeBack_andCallsToAHungRedisFailAtTheirDeadline_notAtTheSocketTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            ScriptBatcher batcher = batcher(redis, Duration.ofSeconds(30), Duration.ofMillis(300));
            assertEquals(List.of(7L), batcher.submit(List.of("k"), List.of("7")).get(5, TimeUnit.SECONDS));

            redis.freeze();
            try {
                long start = System.nanoTime();
                List<CompletableFuture<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(batcher.submit(List.of("k" + i), List.of(Integer.toString(i))));
                }
                for (CompletableFuture<Object> call : calls) {
                    // well before the 30 s socket time-out: the batcher's deadline ended them
                    ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                    assertInstanceOf(TimeoutException.class, failed.getCause());
                }
                long waitedMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waitedMillis >= 300, "no call may fail before its deadline; all had failed after " + waitedMillis + " ms");
            } finally {
                redis.thaw();
            }
        }
    }
}
