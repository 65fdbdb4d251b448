package io.portico.core.upstream;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.client.HttpClient;

/**
 * A live pool of targets, built at configuration load: picks a target per request and learns from
 * every attempt (passive ejection) and, if configured, from active health checks.
 */
public final class Upstream {
    private final UpstreamSpec spec;
    private final List<Target> targets;
    private final Balancer balancer;

    private Upstream(UpstreamSpec spec, List<Target> targets, Balancer balancer) {
        this.spec = spec;
        this.targets = targets;
        this.balancer = balancer;
    }

    /** Builds a pool; all targets start healthy. */
    public static Upstream create(UpstreamSpec spec, Clock clock) {
        List<Target> targets = spec.targets().stream().map(target -> new Target(target, clock, spec.passive())).toList();
        Balancer balancer = switch (spec.balancer()) {
            case ROUND_ROBIN -> new SmoothRoundRobin(targets);
            case LEAST_REQUESTS -> new LeastRequests(targets);
            case CONSISTENT_HASH -> new ConsistentHash(targets);
        };
        return new Upstream(spec, targets, balancer);
    }

    /** The pool's name. */
    public String name() {
        return spec.name();
    }

    /** The targets, in configuration order. */
    public List<Target> targets() {
        return targets;
    }

    /** What a consistent-hash pool hashes, or {@code null}. */
    public HashOn hashOn() {
        return spec.hashOn();
    }

    /**
     * An available target, or {@code null} when none is (the gateway answers 503).
     *
     * @param hashKey the consistent-hash key, or {@code null}
     * @param exclude targets a retry must avoid
     */
    public Target select(String hashKey, Set<Target> exclude) {
        return balancer.pick(hashKey, exclude);
    }

    /** An attempt begins. */
    public void onStart(Target target) {
        target.started();
    }

    /** An attempt got an answer; any failure streak ends. */
    public void onSuccess(Target target) {
        target.succeeded();
    }

    /** An attempt failed to connect, was reset or timed out; counts towards passive ejection. */
    public void onFailure(Target target) {
        target.failed();
    }

    /** Starts active health checks if configured; closing the result stops them. */
    public AutoCloseable startHealthChecks(HttpClient client, ScheduledExecutorService scheduler) {
        if (spec.healthCheck() == null) {
            return () -> { };
        }
        return new HealthChecks(spec.name(), targets, spec.healthCheck(), client, scheduler);
    }
}
