package io.portico.core.upstream;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** Placeholder until the upstream package lands: plain round robin. */
public final class Upstream {
    private final String name;
    private final List<Target> targets;
    private final AtomicInteger next = new AtomicInteger();

    private Upstream(String name, List<Target> targets) {
        this.name = name;
        this.targets = targets;
    }

    public static Upstream create(UpstreamSpec spec, Clock clock) {
        return new Upstream(spec.name(), spec.targets().stream().map(Target::new).toList());
    }

    public HashOn hashOn() {
        return null;
    }

    public String name() {
        return name;
    }

    public List<Target> targets() {
        return targets;
    }

    public Target select(String hashKey, Set<Target> exclude) {
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            if (!exclude.contains(target)) {
                return target;
            }
        }
        return null;
    }

    public void onStart(Target target) {
    }

    public void onSuccess(Target target) {
    }

    public void onFailure(Target target) {
    }

    public AutoCloseable startHealthChecks(org.eclipse.jetty.client.HttpClient client, ScheduledExecutorService scheduler) {
        return () -> { };
    }
}
