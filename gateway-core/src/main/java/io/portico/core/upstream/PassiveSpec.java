package io.portico.core.upstream;

import java.time.Duration;

/**
 * Passive outlier detection, from the outcomes the proxy reports. After {@code consecutiveFailures}
 * failed attempts in a row a target is ejected for {@code ejection}. When that time is up it is
 * tried again (half-open): one success restores it fully, one failure ejects it again for twice as
 * long as the last time, up to {@link #MAX_EJECTION} (or {@code ejection}, if that is longer).
 *
 * @param consecutiveFailures failures in a row that eject a target; at least 1
 * @param ejection            how long the first ejection lasts; positive
 */
public record PassiveSpec(int consecutiveFailures, Duration ejection) {

    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final Duration DEFAULT_EJECTION = Duration.ofSeconds(30);
    /** The longest a repeated ejection grows to by doubling. */
    public static final Duration MAX_EJECTION = Duration.ofMinutes(5);

    public PassiveSpec {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutive failures must be >= 1, was " + consecutiveFailures);
        }
        if (ejection == null || ejection.isNegative() || ejection.isZero()) {
            throw new IllegalArgumentException("ejection time must be positive, was " + ejection);
        }
    }

    /** 5 consecutive failures, 30 s ejection. */
    public static PassiveSpec defaults() {
        return new PassiveSpec(DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_EJECTION);
    }

    /**
     * How long the {@code n}-th ejection in a row lasts (n starts at 1): {@code ejection * 2^(n-1)},
     * capped at the larger of {@link #MAX_EJECTION} and {@code ejection}.
     */
    Duration ejectionFor(int n) {
        Duration cap = ejection.compareTo(MAX_EJECTION) > 0 ? ejection : MAX_EJECTION;
        Duration d = ejection;
        for (int i = 1; i < n && d.compareTo(cap) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }
}
