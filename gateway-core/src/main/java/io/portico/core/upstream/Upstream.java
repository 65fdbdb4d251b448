package io.portico.core.upstream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.jetty.client.HttpClient;

/**
 * A live upstream pool, built once per configuration snapshot from an {@link UpstreamSpec}.
 *
 * <p>For each attempt the proxy calls {@link #select}, then {@link #onStart} before sending, then
 * exactly one of {@link #onSuccess} (any response arrived, whatever its status),
 * {@link #onFailure} (connect refused, reset, timeout: the target's fault) or {@link #onCancel}
 * (the attempt ended for a reason that says nothing about the target, such as the client going
 * away). All methods are thread-safe and never block on I/O.
 */
public final class Upstream {

    private final UpstreamSpec spec;
    private final Clock clock;
    private final List<Target> targets;
    private final Balancer balancer;

    private Upstream(UpstreamSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        List<Target> list = new ArrayList<>(spec.targets().size());
        for (TargetSpec t : spec.targets()) {
            list.add(new Target(spec.name(), t, spec.passive(), spec.tls(), clock));
        }
        this.targets = List.copyOf(list);
        this.balancer = switch (spec.balancer()) {
            case ROUND_ROBIN -> new SmoothWeightedRoundRobin(targets);
            case LEAST_REQUESTS -> new LeastRequests(targets);
            case CONSISTENT_HASH -> new ConsistentHash(targets);
        };
    }

    /** Builds the pool; every target starts available. */
    public static Upstream create(UpstreamSpec spec, Clock clock) {
        return new Upstream(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(clock, "clock"));
    }

    public String name() {
        return spec.name();
    }

    public UpstreamSpec spec() {
        return spec;
    }

    /** The targets in configuration order; an immutable list. */
    public List<Target> targets() {
        return targets;
    }

    /** What the proxy should read to make the hash key; {@code null} unless consistent hashing. */
    public HashOn hashOn() {
        return spec.hashOn();
    }

    /**
     * Picks an available target that is not in {@code exclude}, or returns {@code null} when there
     * is none (the proxy then answers 503).
     *
     * @param hashKey the consistent-hash input (header, cookie or client IP, as {@link #hashOn()}
     *                says); {@code null} falls back to round robin; ignored by the other balancers
     * @param exclude targets to avoid, e.g. the one a retry follows; may be empty or {@code null}
     */
    public Target select(String hashKey, Set<Target> exclude) {
        return balancer.pick(hashKey, exclude == null ? Set.of() : exclude, clock.millis());
    }

    /** An attempt to {@code t} is about to be sent: in-flight + 1. */
    public void onStart(Target t) {
        t.started();
    }

    /** A response came back from {@code t}: in-flight - 1; resets its passive failure count. */
    public void onSuccess(Target t) {
        t.succeeded();
    }

    /**
     * The attempt to {@code t} failed (connect refused, reset, timeout): in-flight - 1; counts
     * towards passive ejection.
     */
    public void onFailure(Target t) {
        t.failed();
    }

    /** The attempt ended without saying anything about {@code t}'s health: in-flight - 1 only. */
    public void onCancel(Target t) {
        t.cancelled();
    }

    /**
     * Starts the active health checks, if the spec has any, on the caller's started
     * {@code client} and {@code scheduler} (neither is stopped here). Checks of all targets begin
     * at once, then repeat at the spec's interval. Returns a handle that stops them; it never throws.
     */
    public AutoCloseable startHealthChecks(HttpClient client, ScheduledExecutorService scheduler) {
        HealthCheckSpec check = spec.healthCheck();
        if (check == null) {
            return () -> { };
        }
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(scheduler, "scheduler");
        return new HealthChecker(spec.name(), check, targets, client, scheduler).start();
    }

    @Override
    public String toString() {
        return "Upstream[" + spec.name() + " " + spec.balancer() + " " + targets + "]";
    }
}
