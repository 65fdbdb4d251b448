package io.portico.plugins.ratelimit;

/**
 * One window in the units the algorithms count in.
 *
 * @param requests      admitted per period
 * @param periodNanos   the period
 * @param burst         with GCRA, how many may come at once
 * @param intervalNanos with GCRA, the time one request uses up: the period over the requests,
 *                      rounded up so rounding never admits more
 */
record Window(int requests, long periodNanos, int burst, long intervalNanos) {

    static Window of(RateLimitConfig.WindowConfig config) {
        long period = config.per().toNanos();
        return new Window(config.requests(), period, config.effectiveBurst(), Math.ceilDiv(period, config.requests()));
    }

    /** {@code 10 per 1s}, for messages. */
    String describe() {
        return requests + " per " + Durations.describe(periodNanos);
    }
}
