package io.portico.plugins.ratelimit;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts requests decided without the store (let through or refused because Redis could not
 * answer) and logs them at most once per interval, so an outage writes a line every few seconds
 * rather than one per request.
 */
final class FailureLog {
    private static final long INTERVAL_MILLIS = 10_000;

    private final System.Logger logger;
    private final Clock clock;
    private final String action;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sinceLogged = new AtomicLong();
    private final AtomicLong nextLogAt = new AtomicLong();

    FailureLog(System.Logger logger, Clock clock, String action) {
        this.logger = logger;
        this.clock = clock;
        this.action = action;
    }

    void record(StoreUnavailableException cause) {
        total.incrementAndGet();
        sinceLogged.incrementAndGet();
        long now = clock.millis();
        long due = nextLogAt.get();
        if (now >= due && nextLogAt.compareAndSet(due, now + INTERVAL_MILLIS)) {
            logger.log(System.Logger.Level.WARNING, "rate limit store unavailable; {0} {1} request(s) since the last"
                    + " report ({2} in all): {3}", action, sinceLogged.getAndSet(0), total.get(), cause.getMessage());
        }
    }

    long total() {
        return total.get();
    }
}
