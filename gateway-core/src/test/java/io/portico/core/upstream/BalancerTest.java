package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BalancerTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void smoothRoundRobin_spreads_5_1_1_as_nginx_does() {
        Upstream up = Pools.pool(BalancerKind.ROUND_ROBIN, clock, 5, 1, 1);
        String cycle = "9001 9001 9002 9001 9003 9001 9001";
        assertEquals(cycle + " " + cycle + " " + cycle, Pools.picks(up, 21));
    }

    @Test
    void smoothRoundRobin_equalWeights_takeTurns() {
        Upstream up = Pools.pool(BalancerKind.ROUND_ROBIN, clock, 1, 1, 1);
        assertEquals("9001 9002 9003 9001 9002 9003", Pools.picks(up, 6));
    }

    @Test
    void smoothRoundRobin_skipsAnEjectedTarget_andKeepsTheOthersInProportion() {
        Upstream up = Pools.pool(BalancerKind.ROUND_ROBIN, clock, 5, 1, 1);
        Pools.eject(up, up.targets().get(0));
        assertEquals(Map.of(9002, 50, 9003, 50), Pools.countPicks(up, 100));
    }

    @Test
    void smoothRoundRobin_exclude_avoidsTheTargetThatJustFailed() {
        Upstream up = Pools.pool(BalancerKind.ROUND_ROBIN, clock, 1, 1);
        Target a = up.targets().get(0);
        for (int i = 0; i < 10; i++) {
            assertNotSame(a, up.select(null, Set.of(a)));
        }
        assertNull(up.select(null, Set.copyOf(up.targets())));
    }

    @Test
    void leastRequests_picksTheIdleTarget() {
        Upstream up = Pools.pool(BalancerKind.LEAST_REQUESTS, clock, 1, 1, 1);
        Target a = up.targets().get(0);
        Target b = up.targets().get(1);
        Target c = up.targets().get(2);
        up.onStart(a);
        up.onStart(a);
        up.onStart(c);
        assertSame(b, up.select(null, Set.of()));
        up.onStart(b);
        up.onStart(b);
        assertSame(c, up.select(null, Set.of()));
        up.onSuccess(a);
        up.onFailure(a);
        assertSame(a, up.select(null, Set.of()));
        assertEquals(0, a.inFlight());
    }

    @Test
    void leastRequests_comparesInFlightRelativeToWeight() {
        Upstream up = Pools.pool(BalancerKind.LEAST_REQUESTS, clock, 3, 1);
        Target heavy = up.targets().get(0);
        Target light = up.targets().get(1);
        for (int i = 0; i < 2; i++) {
            up.onStart(heavy); // 2/3 in flight per weight unit
        }
        up.onStart(light); // 1/1
        assertSame(heavy, up.select(null, Set.of()));
        up.onStart(heavy); // 3/3 = 1/1: tie
        up.onStart(heavy); // 4/3 > 1/1
        assertSame(light, up.select(null, Set.of()));
    }

    @Test
    void leastRequests_idlePool_isSpreadByWeightedRoundRobin() {
        Upstream up = Pools.pool(BalancerKind.LEAST_REQUESTS, clock, 5, 1, 1);
        assertEquals("9001 9001 9002 9001 9003 9001 9001", Pools.picks(up, 7));
    }

    @Test
    void leastRequests_inFlightNeverGoesBelowZero() {
        Upstream up = Pools.pool(BalancerKind.LEAST_REQUESTS, clock, 1, 1);
        Target a = up.targets().get(0);
        up.onSuccess(a);
        up.onCancel(a);
        assertEquals(0, a.inFlight());
    }

    @ParameterizedTest
    @EnumSource(BalancerKind.class)
    void select_returnsNull_whenAllTargetsAreDown(BalancerKind kind) {
        Upstream up = Pools.pool(kind, clock, 2, 1, 1);
        for (Target t : up.targets()) {
            Pools.eject(up, t);
        }
        assertNull(up.select("some-user", Set.of()));
        assertNull(up.select(null, Set.of()));
        assertNull(up.select(null, null));
    }

    @ParameterizedTest
    @EnumSource(BalancerKind.class)
    void select_skipsActivelyUnhealthyTargets(BalancerKind kind) {
        Upstream up = Pools.pool(kind, clock, 1, 1);
        Target a = up.targets().get(0);
        HealthCheckSpec check = HealthCheckSpec.of("/health");
        for (int i = 0; i < check.unhealthyThreshold(); i++) {
            a.recordCheck(false, check, "test");
        }
        for (int i = 0; i < 20; i++) {
            assertSame(up.targets().get(1), up.select("user-" + i, Set.of()));
        }
    }

    @Test
    void targets_isImmutable_andInConfigurationOrder() {
        Upstream up = Pools.pool(BalancerKind.ROUND_ROBIN, clock, 1, 2);
        List<Target> targets = up.targets();
        assertEquals("http://127.0.0.1:9001", targets.get(0).baseUri());
        assertEquals("127.0.0.1:9002", targets.get(1).address());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> targets.remove(0));
    }
}
