package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PassiveEjectionTest {

    private final MutableClock clock = new MutableClock();
    private final Upstream up = Upstream.create(new UpstreamSpec("orders", Pools.targets(1),
            BalancerKind.ROUND_ROBIN, null, null, new PassiveSpec(3, Duration.ofSeconds(30))), clock);
    private final Target t = up.targets().get(0);

    @Test
    void ejectedAfter_N_consecutiveFailures() {
        fail(2);
        assertTrue(t.isAvailable());
        fail(1);
        assertFalse(t.isAvailable());
        assertNull(up.select(null, Set.of()));
    }

    @Test
    void aSuccess_resetsTheFailureCount() {
        fail(2);
        succeed();
        fail(2);
        assertTrue(t.isAvailable());
        fail(1);
        assertFalse(t.isAvailable());
    }

    @Test
    void triedAgain_afterTheEjectionTime_andOneSuccessRestoresIt() {
        fail(3);
        clock.advance(Duration.ofSeconds(29));
        assertFalse(t.isAvailable());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(t.isAvailable());
        assertSame(t, up.select(null, Set.of()));

        succeed();
        // fully restored: it takes N failures again, and the next ejection is the base length
        fail(2);
        assertTrue(t.isAvailable());
        fail(1);
        assertFalse(t.isAvailable());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(t.isAvailable());
    }

    @Test
    void halfOpen_oneFailure_ejectsAgain_forTwiceAsLong_upTo5Minutes() {
        fail(3);
        long[] expectedSeconds = {60, 120, 240, 300, 300};
        clock.advance(Duration.ofSeconds(30));
        for (long seconds : expectedSeconds) {
            assertTrue(t.isAvailable());
            fail(1);
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            assertFalse(t.isAvailable(), "still ejected just before " + seconds + "s");
            clock.advance(Duration.ofMillis(1));
        }
        assertTrue(t.isAvailable());
    }

    @Test
    void failuresOfAttemptsStillInFlight_whileEjected_doNotExtendTheEjection() {
        up.onStart(t);
        up.onStart(t);
        fail(3);
        up.onFailure(t);
        up.onFailure(t);
        clock.advance(Duration.ofSeconds(30));
        assertTrue(t.isAvailable());
    }

    @Test
    void aSuccessWhileEjected_doesNotEndTheEjectionEarly() {
        up.onStart(t);
        fail(3);
        up.onSuccess(t);
        assertFalse(t.isAvailable());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(t.isAvailable());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            up.onStart(t);
            up.onFailure(t);
        }
    }

    private void succeed() {
        up.onStart(t);
        up.onSuccess(t);
    }
}
