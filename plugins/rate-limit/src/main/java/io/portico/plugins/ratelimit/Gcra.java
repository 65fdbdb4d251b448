package io.portico.plugins.ratelimit;

import java.util.List;

/**
 * The generic cell rate algorithm, per window: a token bucket holding {@code burst} requests,
 * refilled at one per {@code interval}. The state is the theoretical arrival time (TAT) of the next
 * request; a request is admitted when, after adding its interval, the TAT is no further ahead of
 * now than the bucket holds (plus the allowed delay in throttle mode, which then is the wait).
 * State: one TAT per window.
 */
final class Gcra implements LocalAlgorithm {
    private final Window[] windows;

    Gcra(List<Window> windows) {
        this.windows = windows.toArray(Window[]::new);
    }

    @Override
    public int stateLength() {
        return windows.length;
    }

    @Override
    public Decision decide(long[] state, long now, long maxDelay) {
        boolean admitted = true;
        long delay = 0;
        long retryAfter = 0;
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            long wait = Math.max(state[i], now) + window.intervalNanos() - now - window.burst() * window.intervalNanos();
            if (wait > maxDelay) {
                admitted = false;
                retryAfter = Math.max(retryAfter, wait - maxDelay);
            } else {
                delay = Math.max(delay, wait);
            }
        }
        int tightest = 0;
        long tightestRemaining = Long.MAX_VALUE;
        long tightestReset = 0;
        for (int i = 0; i < windows.length; i++) {
            Window window = windows[i];
            long tat = Math.max(state[i], now);
            if (admitted) {
                tat += window.intervalNanos();
                state[i] = tat;
            }
            long ahead = tat - now;
            long remaining = Math.max(0, (window.burst() * window.intervalNanos() - ahead) / window.intervalNanos());
            if (remaining < tightestRemaining || remaining == tightestRemaining && ahead > tightestReset) {
                tightest = i;
                tightestRemaining = remaining;
                tightestReset = ahead;
            }
        }
        return new Decision(admitted, admitted ? delay : 0, admitted ? 0 : retryAfter, tightest, tightestRemaining,
                tightestReset);
    }
}
