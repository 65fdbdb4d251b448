package io.portico.core.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live target: its spec, its requests in flight, and its health as active checks and passive
 * ejection see it. Thread-safe; state changes are rare and take the target's lock.
 */
public final class Target {
    private static final long MAX_EJECTION_MILLIS = Duration.ofMinutes(5).toMillis();

    private final TargetSpec spec;
    private final String address;
    private final String baseUri;
    private final Clock clock;
    private final PassiveSpec passive;
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean healthy = true;
    private volatile long ejectedUntil;
    private int consecutiveFailures;
    private int ejections;
    private int checkSuccesses;
    private int checkFailures;

    Target(TargetSpec spec, Clock clock, PassiveSpec passive) {
        this.spec = spec;
        this.address = spec.address();
        this.baseUri = spec.scheme() + "://" + address;
        this.clock = clock;
        this.passive = passive;
    }

    /** What was configured. */
    public TargetSpec spec() {
        return spec;
    }

    /** {@code host:port}. */
    public String address() {
        return address;
    }

    /** {@code http://host:port}. */
    public String baseUri() {
        return baseUri;
    }

    /** Requests sent and not yet finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether requests may go here: healthy to active checks and not ejected. */
    public boolean isAvailable() {
        return healthy && clock.millis() >= ejectedUntil;
    }

    /** Whether active checks consider it healthy (passive ejection aside). */
    public boolean isHealthy() {
        return healthy;
    }

    void started() {
        inFlight.incrementAndGet();
    }

    synchronized void succeeded() {
        inFlight.decrementAndGet();
        consecutiveFailures = 0;
        if (ejections > 0 && clock.millis() >= ejectedUntil) {
            ejections = 0;
        }
    }

    synchronized void failed() {
        inFlight.decrementAndGet();
        long now = clock.millis();
        boolean onProbation = ejections > 0 && now >= ejectedUntil;
        consecutiveFailures++;
        if (onProbation || consecutiveFailures >= passive.consecutiveFailures()) {
            // the first request back after an ejection failed: out again, for twice as long
            long millis = Math.min(MAX_EJECTION_MILLIS, passive.ejection().toMillis() << Math.min(ejections, 20));
            ejectedUntil = now + millis;
            ejections++;
            consecutiveFailures = 0;
        }
    }

    synchronized void checked(boolean success, HealthCheckSpec check) {
        if (success) {
            checkFailures = 0;
            checkSuccesses++;
            if (!healthy && checkSuccesses >= check.healthyThreshold()) {
                healthy = true;
            }
        } else {
            checkSuccesses = 0;
            checkFailures++;
            if (healthy && checkFailures >= check.unhealthyThreshold()) {
                healthy = false;
            }
        }
    }

    @Override
    public String toString() {
        return baseUri + (healthy ? "" : " (unhealthy)") + (clock.millis() < ejectedUntil ? " (ejected)" : "");
    }
}
