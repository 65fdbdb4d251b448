package io.portico.core.upstream;

import java.time.Duration;

/** Placeholder until the upstream package lands. */
public record PassiveSpec(int consecutiveFailures, Duration ejection) {
}
