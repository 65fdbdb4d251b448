package io.portico.core.upstream;

import java.time.Duration;

/**
 * Active health checking of every target of a pool: {@code GET path} each {@code interval}, given
 * up after {@code timeout}. A target that answered outside
 * {@code expectedStatusFrom..expectedStatusTo} (or not at all) {@code unhealthyThreshold} times in a
 * row becomes unhealthy; an unhealthy one that answered as expected {@code healthyThreshold} times
 * in a row becomes healthy again. Targets start healthy.
 *
 * <p>Use {@link #of(String)} for the defaults: interval {@value #DEFAULT_INTERVAL_SECONDS}s,
 * timeout {@value #DEFAULT_TIMEOUT_SECONDS}s, healthy after {@value #DEFAULT_HEALTHY_THRESHOLD},
 * unhealthy after {@value #DEFAULT_UNHEALTHY_THRESHOLD}, statuses 200 to 399.
 *
 * @param path               starts with {@code /}; may carry a query
 * @param interval           time between the end of one check of a target and the start of the next; positive
 * @param timeout            total time allowed for one check; positive
 * @param healthyThreshold   consecutive good answers that make an unhealthy target healthy; at least 1
 * @param unhealthyThreshold consecutive bad answers that make a healthy target unhealthy; at least 1
 * @param expectedStatusFrom lowest good status, inclusive
 * @param expectedStatusTo   highest good status, inclusive
 */
public record HealthCheckSpec(String path, Duration interval, Duration timeout, int healthyThreshold,
                              int unhealthyThreshold, int expectedStatusFrom, int expectedStatusTo) {

    static final long DEFAULT_INTERVAL_SECONDS = 5;
    static final long DEFAULT_TIMEOUT_SECONDS = 2;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    public static final int DEFAULT_EXPECTED_STATUS_FROM = 200;
    public static final int DEFAULT_EXPECTED_STATUS_TO = 399;

    public HealthCheckSpec {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("health check path must start with '/', was " + path);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health check interval must be positive, was " + interval);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check timeout must be positive, was " + timeout);
        }
        if (healthyThreshold < 1) {
            throw new IllegalArgumentException("healthy threshold must be >= 1, was " + healthyThreshold);
        }
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthy threshold must be >= 1, was " + unhealthyThreshold);
        }
        if (expectedStatusFrom < 100 || expectedStatusTo > 599 || expectedStatusFrom > expectedStatusTo) {
            throw new IllegalArgumentException("expected statuses must be a range within 100..599, was "
                    + expectedStatusFrom + ".." + expectedStatusTo);
        }
    }

    /** A check of {@code path} with every other setting at its default. */
    public static HealthCheckSpec of(String path) {
        return new HealthCheckSpec(path, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY_THRESHOLD,
                DEFAULT_UNHEALTHY_THRESHOLD, DEFAULT_EXPECTED_STATUS_FROM, DEFAULT_EXPECTED_STATUS_TO);
    }

    /** Whether {@code status} counts as a good answer. */
    public boolean isExpected(int status) {
        return status >= expectedStatusFrom && status <= expectedStatusTo;
    }
}
