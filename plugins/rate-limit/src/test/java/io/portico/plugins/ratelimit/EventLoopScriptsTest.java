package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The redis policy's calls on the event loop against a real redis-server: the calls of one key
 * made in one turn go as one script call, and each request still gets its own decision, in order.
 */
class EventLoopScriptsTest {
    @Test
    void callsOfOneKeyInOneTurnGoAsOneScriptCall_eachWithItsOwnDecision() throws Exception {
        // 3 requests per hour: what RedisStore sends for { requests: 3, per: 1h }
        mergesAndDecidesInOrder(List.of("gcra", "0", "3", "3600000000", "3"));
        mergesAndDecidesInOrder(List.of("sliding-window", "0", "3", "3600000000", "3"));
    }

    private static void mergesAndDecidesInOrder(List<String> threePerHour) throws Exception {
        try (RedisServer redis = RedisServer.start(); TurnSockets sockets = new TurnSockets()) {
            EventLoopScripts scripts = new EventLoopScripts(sockets, "127.0.0.1", redis.port(), Duration.ofSeconds(2),
                    Duration.ofSeconds(10), List.of(), LuaScript.of(RedisConnection.readScript()));
            // the first call connects, and teaches Redis the script (NOSCRIPT, then EVAL)
            CompletableFuture<Object> first = scripts.submit(List.of("warm:0"), threePerHour);
            RedisServer.waitUntil(() -> sockets.connections() == 1, Duration.ofSeconds(5));
            answered(sockets, List.of(first));
            redis.command("CONFIG RESETSTAT");

            List<CompletableFuture<Object>> a = new ArrayList<>();
            List<CompletableFuture<Object>> b = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                a.add(scripts.submit(List.of("a:0"), threePerHour));
                if (i < 2) {
                    b.add(scripts.submit(List.of("b:0"), threePerHour));
                }
            }
            List<CompletableFuture<Object>> all = new ArrayList<>(a);
            all.addAll(b);
            answered(sockets, all);

            assertEquals(List.of(1L, 1L, 1L, 0L, 0L), admitted(a), "key a: the first three of five");
            assertEquals(List.of(2L, 1L, 0L, 0L, 0L), remaining(a), "key a: each request its own remaining");
            assertEquals(List.of(1L, 1L), admitted(b));
            assertEquals(List.of(2L, 1L), remaining(b));
            assertEquals(2, scriptCalls(redis), "one script call per key for the turn's seven requests");

            // the next turn goes on from the counts the merged calls left
            CompletableFuture<Object> next = scripts.submit(List.of("b:0"), threePerHour);
            answered(sockets, List.of(next));
            assertEquals(List.of(1L), admitted(List.of(next)));
            assertEquals(List.of(0L), remaining(List.of(next)));
        }
    }

    /** Ends turns until every call has its answer (a NOSCRIPT answer queues an EVAL for the next turn). */
    private static void answered(TurnSockets sockets, List<CompletableFuture<Object>> calls) throws Exception {
        for (int turn = 0; turn < 50 && !calls.stream().allMatch(CompletableFuture::isDone); turn++) {
            sockets.endTurn();
            Thread.sleep(20);
        }
        for (CompletableFuture<Object> call : calls) {
            call.get(5, TimeUnit.SECONDS);
        }
    }

    private static List<Long> admitted(List<CompletableFuture<Object>> calls) {
        return calls.stream().map(call -> (Long) ((List<?>) call.join()).get(0)).toList();
    }

    private static List<Long> remaining(List<CompletableFuture<Object>> calls) {
        return calls.stream().map(call -> (Long) ((List<?>) call.join()).get(4)).toList();
    }

    private static int scriptCalls(RedisServer redis) throws Exception {
        int calls = 0;
        for (String command : List.of("evalsha", "eval")) {
            Matcher stat = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(redis.bulk("INFO commandstats"));
            if (stat.find()) {
                calls += Integer.parseInt(stat.group(1));
            }
        }
        return calls;
    }
}
