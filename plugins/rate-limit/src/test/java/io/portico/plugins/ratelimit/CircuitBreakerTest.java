package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    final TestClock clock = new TestClock(Instant.parse("2026-11-24T10:00:00Z"));
    final CircuitBreaker circuit = new CircuitBreaker(3, Duration.ofSeconds(2), clock);

    @Test
    void opensAfterConsecutiveFailures_probesOnceAfterTheDelay_andClosesOnSuccess() {
        failTimes(2);
        circuit.succeeded();
        failTimes(2);
        assertFalse(circuit.isOpen(), "a success in between resets the count");
        failTimes(1);
        assertTrue(circuit.isOpen());
        assertFalse(circuit.tryCall(), "open: no call goes");
        clock.advance(Duration.ofMillis(1999));
        assertFalse(circuit.tryCall());
        clock.advance(Duration.ofMillis(1));
        assertTrue(circuit.tryCall(), "half open: one probe");
        assertFalse(circuit.tryCall(), "only one probe at a time");
        circuit.succeeded();
        assertFalse(circuit.isOpen());
        assertTrue(circuit.tryCall());
        assertTrue(circuit.tryCall());
    }

    @Test
    void aFailedProbeOpensItAgainForTheWholeDelay() {
        failTimes(3);
        clock.advance(Duration.ofSeconds(2));
        assertTrue(circuit.tryCall());
        circuit.failed();
        assertFalse(circuit.tryCall());
        clock.advance(Duration.ofMillis(1999));
        assertFalse(circuit.tryCall());
        clock.advance(Duration.ofMillis(1));
        assertTrue(circuit.tryCall());
    }

    private void failTimes(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(circuit.tryCall());
            circuit.failed();
        }
    }
}
