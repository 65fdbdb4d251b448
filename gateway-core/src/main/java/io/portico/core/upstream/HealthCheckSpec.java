package io.portico.core.upstream;

import java.time.Duration;

/** Placeholder until the upstream package lands. */
public record HealthCheckSpec(String path, Duration interval, Duration timeout, int healthyThreshold,
                              int unhealthyThreshold, int expectedStatusFrom, int expectedStatusTo) {
}
