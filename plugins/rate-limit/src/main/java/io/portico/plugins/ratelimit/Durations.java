package io.portico.plugins.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;

/** Nanoseconds as people and headers read them. */
final class Durations {
    private Durations() {
    }

    /** {@code 1s}, {@code 250ms}, {@code 1h}. */
    static String describe(long nanos) {
        Duration duration = Duration.ofNanos(nanos);
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** Whole seconds, rounded up: what {@code Retry-After} and {@code RateLimit-Reset} carry. */
    static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : Math.ceilDiv(nanos, 1_000_000_000L);
    }

    /** Seconds with up to three decimals, for {@code RateLimit-Policy}'s {@code w=}. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(Duration.ofNanos(nanos).toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
