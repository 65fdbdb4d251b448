package io.portico.plugins.ratelimit;

/**
 * What a store decided for one request, across all windows of its key.
 *
 * @param admitted        whether the request may go on
 * @param delayNanos      how long it must wait first (throttle mode with GCRA), else 0
 * @param retryAfterNanos when refused: how long until the same request would be admitted
 * @param window          the index of the window closest to refusing: the one the headers report
 * @param remaining       requests left in that window after this one
 * @param resetNanos      time until that window is whole again
 */
record Decision(boolean admitted, long delayNanos, long retryAfterNanos, int window, long remaining, long resetNanos) {
}
