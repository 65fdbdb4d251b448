package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local arithmetic on its own, where the numbers are easiest to check by hand. */
class AlgorithmTest {
    static final long SECOND = 1_000_000_000L;
    static final long NOW = 1_764_000_000L * SECOND + SECOND / 4;

    @Test
    void gcra_refusedRequestsAreNotCounted_andRetryAfterIsTheTimeToTheNextToken() {
        Gcra gcra = new Gcra(List.of(window(4, Duration.ofSeconds(1), 2)));
        long[] state = new long[gcra.stateLength()];
        assertTrue(gcra.decide(state, NOW, 0).admitted());
        assertTrue(gcra.decide(state, NOW, 0).admitted());
        Decision refused = gcra.decide(state, NOW, 0);
        assertFalse(refused.admitted());
        assertEquals(SECOND / 4, refused.retryAfterNanos());
        assertEquals(0, refused.remaining());
        assertEquals(SECOND / 2, refused.resetNanos(), "two tokens refill in half a second");
        assertFalse(gcra.decide(state, NOW, 0).admitted(), "refusals take nothing");
        assertTrue(gcra.decide(state, NOW + SECOND / 4, 0).admitted());
    }

    @Test
    void gcra_throttleReservesTurnsInOrder() {
        Gcra gcra = new Gcra(List.of(window(10, Duration.ofSeconds(1), 1)));
        long[] state = new long[gcra.stateLength()];
        long maxDelay = SECOND / 2;
        for (int i = 0; i <= 5; i++) {
            Decision decision = gcra.decide(state, NOW, maxDelay);
            assertTrue(decision.admitted());
            assertEquals(i * SECOND / 10, decision.delayNanos());
        }
        Decision refused = gcra.decide(state, NOW, maxDelay);
        assertFalse(refused.admitted());
        assertEquals(SECOND / 10, refused.retryAfterNanos(), "in 100ms a turn within 500ms frees up");
    }

    @Test
    void slidingWindow_weighsThePreviousWindow_andRetryAfterIsWhenItHasFadedEnough() {
        SlidingWindow sliding = new SlidingWindow(List.of(window(10, Duration.ofSeconds(1), null)));
        long[] state = new long[sliding.stateLength()];
        for (int i = 0; i < 10; i++) {
            assertTrue(sliding.decide(state, NOW, 0).admitted());
        }
        Decision full = sliding.decide(state, NOW, 0);
        assertFalse(full.admitted());
        // 10 in this window: only next window, once 10 * (1 - x) <= 9, x = 0.1: 1.1s after this window's start
        long windowStart = NOW - SECOND / 4;
        assertEquals(windowStart + SECOND + SECOND / 10 - NOW, full.retryAfterNanos());
        // a quarter into the next window 7.5 still count: two more fit (7.5 + 2 <= 10), not a third
        long later = windowStart + SECOND + SECOND / 4;
        assertTrue(sliding.decide(state, later, 0).admitted());
        assertTrue(sliding.decide(state, later, 0).admitted());
        Decision refused = sliding.decide(state, later, 0);
        assertFalse(refused.admitted());
        // 10 * (1 - x) + 2 + 1 <= 10 from x = 0.3
        assertEquals(SECOND * 3 / 10 - SECOND / 4, refused.retryAfterNanos());
    }

    private static Window window(int requests, Duration per, Integer burst) {
        return Window.of(new RateLimitConfig.WindowConfig(requests, per, burst));
    }
}
