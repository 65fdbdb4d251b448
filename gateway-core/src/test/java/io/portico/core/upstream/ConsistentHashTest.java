package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConsistentHashTest {

    private static final int KEYS = 10_000;

    private final MutableClock clock = new MutableClock();

    @Test
    void murmur3_matchesTheReferenceVectors() {
        // seed 0, first 64 bits; the vectors of Guava's Murmur3Hash128Test
        assertEquals(0x629942693e10f867L, Hashing.hash64("hell"));
        assertEquals(0xe34bbc7bbc071b6cL, Hashing.hash64("The quick brown fox jumps over the lazy dog"));
    }

    @Test
    void consistentHash_sameKey_sameTarget() {
        Upstream up = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 1, 1);
        for (int k = 0; k < 100; k++) {
            Target first = up.select("user-" + k, Set.of());
            for (int i = 0; i < 10; i++) {
                assertSame(first, up.select("user-" + k, Set.of()));
            }
        }
    }

    @Test
    void consistentHash_isTheSameAcrossPoolsAndListOrders() {
        Upstream a = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 1);
        List<TargetSpec> reversed = new ArrayList<>(Pools.targets(1, 1, 1));
        Collections.reverse(reversed);
        Upstream b = Upstream.create(new UpstreamSpec("orders", reversed, BalancerKind.CONSISTENT_HASH,
                HashOn.clientIp(), null, null), clock);
        for (int k = 0; k < 1000; k++) {
            assertEquals(a.select("10.0.0." + k, Set.of()).address(), b.select("10.0.0." + k, Set.of()).address());
        }
    }

    @Test
    void consistentHash_spreadsKeysInProportionToWeight() {
        Upstream up = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 2);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            counts.merge(up.select("user-" + k, Set.of()).spec().port(), 1, Integer::sum);
        }
        assertBetween(counts.get(9001), 0.25, 0.07);
        assertBetween(counts.get(9002), 0.25, 0.07);
        assertBetween(counts.get(9003), 0.50, 0.07);
    }

    @Test
    void consistentHash_whenATargetGoesAway_onlyItsKeysMove_about1OverN() {
        int n = 5;
        Upstream up = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 1, 1, 1);
        Map<String, Target> before = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            before.put("user-" + k, up.select("user-" + k, Set.of()));
        }
        Target gone = up.targets().get(2);
        Pools.eject(up, gone);

        int moved = 0;
        for (Map.Entry<String, Target> e : before.entrySet()) {
            Target after = up.select(e.getKey(), Set.of());
            assertNotSame(gone, after);
            if (after != e.getValue()) {
                moved++;
                assertSame(gone, e.getValue(), "only keys of the target that went away may move");
            }
        }
        assertBetween(moved, 1.0 / n, 0.05);

        clock.advance(up.spec().passive().ejection());
        for (Map.Entry<String, Target> e : before.entrySet()) {
            assertSame(e.getValue(), up.select(e.getKey(), Set.of()), "keys return when the target does");
        }
    }

    @Test
    void consistentHash_exclude_walksOnToTheNextTarget() {
        Upstream up = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 1);
        for (int k = 0; k < 100; k++) {
            Target first = up.select("user-" + k, Set.of());
            Target retry = up.select("user-" + k, Set.of(first));
            assertNotNull(retry);
            assertNotSame(first, retry);
            assertSame(retry, up.select("user-" + k, Set.of(first)), "the retry target is stable too");
        }
    }

    @Test
    void consistentHash_nullKey_fallsBackToRoundRobin() {
        Upstream up = Pools.pool(BalancerKind.CONSISTENT_HASH, clock, 1, 1, 1);
        assertEquals("9001 9002 9003 9001 9002 9003", Pools.picks(up, 6));
    }

    @Test
    void consistentHash_ringHas160PointsPerWeightUnit() {
        List<Target> targets = Upstream.create(UpstreamSpec.of("x", Pools.targets(1, 3)), clock).targets();
        assertEquals(4 * ConsistentHash.POINTS_PER_WEIGHT, new ConsistentHash(targets).ringSize());
    }

    private static void assertBetween(int count, double expectedShare, double tolerance) {
        double share = (double) count / KEYS;
        assertTrue(Math.abs(share - expectedShare) <= tolerance,
                "share " + share + " is not within " + tolerance + " of " + expectedShare);
    }
}
