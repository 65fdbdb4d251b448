package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    final MutableClock clock = new MutableClock();

    Upstream pool(BalancerKind kind, int... weights) {
        List<TargetSpec> targets = IntStream.range(0, weights.length)
                .mapToObj(i -> new TargetSpec("http", "10.0.0." + (i + 1), 80, weights[i])).toList();
        return Upstream.create(new UpstreamSpec("u", targets, kind,
                kind == BalancerKind.CONSISTENT_HASH ? new HashOn(HashOn.Source.HEADER, "X-User") : null, null,
                new PassiveSpec(3, Duration.ofSeconds(10))), clock);
    }

    static String name(Target target) {
        return String.valueOf((char) ('a' + Integer.parseInt(target.spec().host().substring(7)) - 1));
    }

    @Test
    void smoothRoundRobin_spreads_5_1_1_asNginxDoes() {
        Upstream upstream = pool(BalancerKind.ROUND_ROBIN, 5, 1, 1);
        String sequence = IntStream.range(0, 14).mapToObj(i -> name(upstream.select(null, Set.of())))
                .collect(Collectors.joining());
        assertEquals("aabacaaaabacaa", sequence);
    }

    @Test
    void leastRequests_picksTheIdleTarget_forItsWeight() {
        Upstream upstream = pool(BalancerKind.LEAST_REQUESTS, 1, 1, 2);
        Target a = upstream.targets().get(0);
        Target b = upstream.targets().get(1);
        Target c = upstream.targets().get(2);
        upstream.onStart(a);
        upstream.onStart(c);
        assertSame(b, upstream.select(null, Set.of()));
        upstream.onStart(b);
        // a and b carry one each at weight 1; c carries one at weight 2, so it has the most room
        assertSame(c, upstream.select(null, Set.of()));
    }

    @Test
    void consistentHash_isStableForAKey_andMovesOnlyTheKeysOfATargetThatLeaves() {
        Upstream upstream = pool(BalancerKind.CONSISTENT_HASH, 1, 1, 1, 1);
        Map<String, Target> before = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            before.put("user-" + i, upstream.select("user-" + i, Set.of()));
        }
        for (int i = 0; i < 2000; i += 97) {
            assertSame(before.get("user-" + i), upstream.select("user-" + i, Set.of()));
        }
        Target leaving = upstream.targets().get(2);
        int moved = 0;
        int owned = 0;
        for (var entry : before.entrySet()) {
            Target now = upstream.select(entry.getKey(), Set.of(leaving));
            if (entry.getValue() == leaving) {
                owned++;
                assertNotEquals(leaving, now);
            } else if (now != entry.getValue()) {
                moved++;
            }
        }
        assertEquals(0, moved, "keys of the remaining targets must stay");
        assertTrue(owned > 300 && owned < 700, "a quarter of the keys, give or take: " + owned);
    }

    @Test
    void passiveEjection_afterConsecutiveFailures_thenProbation_thenRecovery() {
        Upstream upstream = pool(BalancerKind.ROUND_ROBIN, 1, 1);
        Target a = upstream.targets().get(0);
        for (int i = 0; i < 3; i++) {
            upstream.onStart(a);
            upstream.onFailure(a);
        }
        assertTrue(!a.isAvailable());
        for (int i = 0; i < 4; i++) {
            assertEquals("b", name(upstream.select(null, Set.of())));
        }
        clock.advance(Duration.ofSeconds(10));
        assertTrue(a.isAvailable());
        // on probation: one failure ejects it again, for twice as long
        upstream.onStart(a);
        upstream.onFailure(a);
        clock.advance(Duration.ofSeconds(19));
        assertTrue(!a.isAvailable());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(a.isAvailable());
        upstream.onStart(a);
        upstream.onSuccess(a);
        // recovered: a single failure no longer ejects
        upstream.onStart(a);
        upstream.onFailure(a);
        assertTrue(a.isAvailable());
    }

    @Test
    void select_isNull_whenEveryTargetIsDownOrExcluded() {
        Upstream upstream = pool(BalancerKind.ROUND_ROBIN, 1, 1);
        assertNull(upstream.select(null, Set.copyOf(upstream.targets())));
        for (Target target : upstream.targets()) {
            for (int i = 0; i < 3; i++) {
                upstream.onStart(target);
                upstream.onFailure(target);
            }
        }
        assertNull(upstream.select(null, Set.of()));
    }

    @Test
    void targetUrls_areCheckedWithClearMessages() {
        assertEquals("10.0.0.1:8080", TargetSpec.parse("http://10.0.0.1:8080", 1).address());
        assertEquals(443, TargetSpec.parse("https://api.example.com", 1).port());
        assertEquals("[::1]:9000", TargetSpec.parse("http://[::1]:9000", 1).address());
        assertEquals("'ftp://x' must start with http:// or https://",
                assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse("ftp://x", 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse("http://x:1/api", 1))
                .getMessage().contains("scheme, host and port only"));
    }
}
