package io.portico.core.upstream;

import io.portico.core.tls.TargetTls;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live target of an {@link Upstream}: its {@link TargetSpec} plus the state that changes while
 * the gateway runs: requests in flight, the active health check's verdict and passive ejection.
 *
 * <p>A target is <em>available</em> when it is actively healthy (always, without active checks)
 * and not passively ejected. Thread-safe; identity is the object (two pools never share one).
 */
public final class Target {

    private static final Logger LOG = LoggerFactory.getLogger(Target.class);

    private final String upstream;
    private final TargetSpec spec;
    private final String address;
    private final String baseUri;
    // parsed once here: the client would otherwise parse "scheme://host:port" on every request
    private final java.net.URI origin;
    private final TargetTls tls;
    private final String connectionKey;
    private final Clock clock;
    private final PassiveSpec passive;
    private final AtomicInteger inFlight = new AtomicInteger();

    // Active health: written only under `this`, read without a lock.
    private volatile boolean healthy = true;
    private int activeSuccesses;
    private int activeFailures;

    // Passive ejection: written only under `this`; the volatile fields allow lock-free fast paths.
    private volatile int consecutiveFailures;
    /** Ejections in a row; above 0 the target is ejected or half-open. */
    private volatile int ejections;
    /** Epoch millis until which the target is ejected. */
    private volatile long ejectedUntil = Long.MIN_VALUE;

    Target(String upstream, TargetSpec spec, PassiveSpec passive, TargetTls tls, Clock clock) {
        this.upstream = upstream;
        this.spec = spec;
        this.address = spec.address();
        this.baseUri = spec.baseUri();
        this.origin = java.net.URI.create(baseUri);
        this.tls = spec.scheme().equals("https") ? tls : null;
        this.connectionKey = this.tls == null ? baseUri : baseUri + " " + this.tls.identity();
        this.passive = passive;
        this.clock = clock;
    }

    public TargetSpec spec() {
        return spec;
    }

    /** {@link #baseUri()} as a URI. */
    public java.net.URI origin() {
        return origin;
    }

    /**
     * The upstream's TLS settings for an {@code https://} target, or {@code null} (a plain target,
     * or an upstream without {@code tls:}, which trusts as the JVM does).
     */
    public TargetTls tls() {
        return tls;
    }

    /**
     * What kept connections to this target are pooled by: the scheme, address and TLS settings,
     * so that a reload that changes none of them keeps the pool.
     */
    public String connectionKey() {
        return connectionKey;
    }

    /** {@code host:port}, e.g. {@code 127.0.0.1:9001}. */
    public String address() {
        return address;
    }

    /** {@code scheme://host:port}, e.g. {@code http://127.0.0.1:9001}. */
    public String baseUri() {
        return baseUri;
    }

    /** Attempts started and not yet reported as finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether a request may be sent here now: actively healthy and not passively ejected. */
    public boolean isAvailable() {
        return isAvailable(clock.millis());
    }

    boolean isAvailable(long nowMillis) {
        return healthy && nowMillis >= ejectedUntil;
    }

    int weight() {
        return spec.weight();
    }

    /** The active health check's verdict (true without active checks). */
    boolean isHealthy() {
        return healthy;
    }

    /** Whether passive detection keeps this target out right now. */
    boolean isEjected() {
        return clock.millis() < ejectedUntil;
    }

    // ---- attempts, reported by the proxy through Upstream ----

    void started() {
        inFlight.incrementAndGet();
    }

    void succeeded() {
        finished();
        if (consecutiveFailures == 0 && ejections == 0) {
            return; // the common case, without a lock
        }
        long now = clock.millis();
        synchronized (this) {
            consecutiveFailures = 0;
            if (ejections > 0 && now >= ejectedUntil) {
                ejections = 0;
                LOG.info("upstream {} target {} answered after ejection: restored", upstream, address);
            }
        }
    }

    void failed() {
        finished();
        long now = clock.millis();
        synchronized (this) {
            if (now < ejectedUntil) {
                return; // already out: attempts that were in flight when it was ejected don't count
            }
            if (ejections > 0) {
                eject(now, "failed again after its ejection");
                return;
            }
            consecutiveFailures++;
            if (consecutiveFailures >= passive.consecutiveFailures()) {
                eject(now, consecutiveFailures + " consecutive failures");
            }
        }
    }

    void cancelled() {
        finished();
    }

    private void finished() {
        // Never below zero, even if the proxy reports an outcome twice: a negative count would
        // make least-requests prefer this target forever.
        inFlight.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }

    private void eject(long now, String why) {
        ejections++;
        consecutiveFailures = 0;
        Duration d = passive.ejectionFor(ejections);
        ejectedUntil = now + d.toMillis();
        LOG.warn("upstream {} target {} ejected for {} ms: {}", upstream, address, d.toMillis(), why);
    }

    // ---- active health, reported by the health checker ----

    /** Counts one active check's result against the thresholds. */
    synchronized void recordCheck(boolean good, HealthCheckSpec check, String detail) {
        if (good) {
            activeFailures = 0;
            if (!healthy && ++activeSuccesses >= check.healthyThreshold()) {
                healthy = true;
                activeSuccesses = 0;
                LOG.info("upstream {} target {} is healthy again ({})", upstream, address, detail);
            }
        } else {
            activeSuccesses = 0;
            if (healthy && ++activeFailures >= check.unhealthyThreshold()) {
                healthy = false;
                activeFailures = 0;
                LOG.warn("upstream {} target {} is unhealthy ({})", upstream, address, detail);
            }
        }
    }

    @Override
    public String toString() {
        return "Target[" + upstream + " " + baseUri + " weight=" + spec.weight() + " inFlight=" + inFlight.get()
                + (healthy ? "" : " unhealthy") + (isEjected() ? " ejected" : "") + "]";
    }
}
