package io.portico.plugins.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops calling a store that keeps failing, so an outage costs one timeout per failure threshold
 * rather than one per request. Closed: every call goes. After {@code failures} consecutive
 * failures it opens: no call goes for {@code openFor}. Then it is half open: one call goes as a
 * probe, and its success closes the circuit, its failure opens it again.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long openForMillis;
    private final Clock clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** 0 while closed; else when the next probe may go, in clock millis. */
    private volatile long openUntil;

    CircuitBreaker(int failures, Duration openFor, Clock clock) {
        this.threshold = failures;
        this.openForMillis = openFor.toMillis();
        this.clock = clock;
    }

    /** Whether a call may go now; when it returns true, report the call's outcome. */
    boolean tryCall() {
        long until = openUntil;
        if (until == 0) {
            return true;
        }
        return clock.millis() >= until && probing.compareAndSet(false, true);
    }

    void succeeded() {
        consecutiveFailures.set(0);
        openUntil = 0;
        probing.set(false);
    }

    void failed() {
        if (probing.get() || consecutiveFailures.incrementAndGet() >= threshold) {
            openUntil = clock.millis() + openForMillis;
            probing.set(false);
        }
    }

    boolean isOpen() {
        return openUntil != 0;
    }
}
