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
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * The batcher's answer time-out against a real redis-server that stops answering: the client's
 * own socket time-out is set far longer, so only the batcher's deadline can end the wait.
 */
class ScriptBatcherTest {
    private static final String SCRIPT = "return {tonumber(ARGV[1])}";

    @Test
    void answersComeBack_andCallsToAHungRedisFailAtTheirDeadline_notAtTheSocketTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", redis.port()))
                     .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(30_000).build()).build()) {
            String sha = client.scriptLoad(SCRIPT);
            ScriptBatcher batcher = new ScriptBatcher(() -> client, SCRIPT, sha, Duration.ofMillis(300));
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
