package io.portico.plugins.ratelimit;

import java.util.List;

/**
 * The two-window sliding approximation (as Cloudflare and nginx-plus describe it): requests are
 * counted in fixed windows, and the estimate at any moment is the current window's count plus the
 * previous window's count weighted by how much of a full period back still overlaps it. A request
 * is admitted when the estimate plus one stays within {@code requests}. Exact while the clock stands
 * still; across a boundary it assumes the previous window's requests were spread evenly.
 * State per window: the current window's start, its count, and the previous window's count.
 */
final class SlidingWindow implements LocalAlgorithm {
    private final Window[] windows;

    SlidingWindow(List<Window> windows) {
        this.windows = windows.toArray(Window[]::new);
    }

    @Override
    public int stateLength() {
        return windows.length * 3;
    }

    @Override
    public Decision decide(long[] state, long now, long maxDelay) {
        boolean admitted = true;
        long retryAfter = 0;
        double[] estimates = new double[windows.length];
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            roll(state, i * 3, window.periodNanos(), now);
            long start = state[i * 3];
            long count = state[i * 3 + 1];
            long previous = state[i * 3 + 2];
            estimates[i] = estimate(previous, count, start, window.periodNanos(), now);
            if (estimates[i] + 1 > window.requests()) {
                admitted = false;
                retryAfter = Math.max(retryAfter, waitFor(window, start, count, previous, now));
            }
        }
        int tightest = 0;
        long tightestRemaining = Long.MAX_VALUE;
        long tightestReset = 0;
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            if (admitted) {
                state[i * 3 + 1]++;
            }
            long remaining = Math.max(0, (long) Math.floor(window.requests() - estimates[i] - (admitted ? 1 : 0)));
            long reset = state[i * 3] + window.periodNanos() - now;
            if (remaining < tightestRemaining || remaining == tightestRemaining && reset > tightestReset) {
                tightest = i;
                tightestRemaining = remaining;
                tightestReset = reset;
            }
        }
        return new Decision(admitted, 0, admitted ? 0 : Math.max(1, retryAfter), tightest, tightestRemaining, tightestReset);
    }

    /** Moves the state to the window {@code now} falls in, keeping the count of the one just before. */
    private static void roll(long[] state, int at, long period, long now) {
        long start = now - Math.floorMod(now, period);
        if (state[at] != start) {
            state[at + 2] = state[at] == start - period ? state[at + 1] : 0;
            state[at + 1] = 0;
            state[at] = start;
        }
    }

    static double estimate(long previous, long count, long start, long period, long now) {
        return previous * ((double) (period - (now - start)) / period) + count;
    }

    /** How long until one more request fits, if no other comes meanwhile. */
    private static long waitFor(Window window, long start, long count, long previous, long now) {
        long period = window.periodNanos();
        long at;
        if (count + 1 <= window.requests()) {
            // the previous window's weight must fade enough within this window
            at = start + partOf(period, previous - (window.requests() - count - 1), previous);
        } else {
            // only in the next window, while this window's count fades
            at = start + period + partOf(period, count - (window.requests() - 1), count);
        }
        return Math.max(1, at - now);
    }

    /** {@code period * numerator / denominator}, rounded up: exact in whole numbers while they fit. */
    private static long partOf(long period, long numerator, long denominator) {
        try {
            return Math.ceilDiv(Math.multiplyExact(period, numerator), denominator);
        } catch (ArithmeticException e) {
            return (long) Math.ceil((double) period * numerator / denominator);
        }
    }
}
