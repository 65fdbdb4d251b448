package io.portico.core.upstream;

import java.time.Duration;

/**
 * Active health checks: a GET to each target at an interval.
 *
 * @param path               what to GET
 * @param interval           between checks of one target
 * @param timeout            for one check
 * @param healthyThreshold   successes in a row that bring a target back
 * @param unhealthyThreshold failures in a row that take it out
 * @param expectedStatusFrom lowest status that counts as healthy
 * @param expectedStatusTo   highest status that counts as healthy
 */
public record HealthCheckSpec(String path, Duration interval, Duration timeout, int healthyThreshold,
                              int unhealthyThreshold, int expectedStatusFrom, int expectedStatusTo) {
}
