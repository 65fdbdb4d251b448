package io.portico.core.upstream;

import java.time.Duration;

/**
 * Passive ejection: a target that fails this many requests in a row is taken out for a while,
 * then tried again; a failure on its first request back ejects it for twice as long (up to 5 min).
 *
 * @param consecutiveFailures failures in a row that eject
 * @param ejection            how long the first ejection lasts
 */
public record PassiveSpec(int consecutiveFailures, Duration ejection) {
}
