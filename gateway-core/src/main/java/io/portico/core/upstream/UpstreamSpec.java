package io.portico.core.upstream;

import io.portico.core.tls.TargetTls;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An upstream pool as configured.
 *
 * @param name        the pool's name, as routes refer to it
 * @param targets     at least one; no two with the same address
 * @param balancer    {@code null} means {@link BalancerKind#ROUND_ROBIN}
 * @param hashOn      required for {@link BalancerKind#CONSISTENT_HASH}, otherwise {@code null}
 * @param healthCheck {@code null} means no active health checks
 * @param passive     {@code null} means {@link PassiveSpec#defaults()}
 * @param tls         how {@code https://} targets are spoken to; {@code null} means the JVM's trust
 *                    store and the target URL's host name
 */
public record UpstreamSpec(String name, List<TargetSpec> targets, BalancerKind balancer, HashOn hashOn,
                           HealthCheckSpec healthCheck, PassiveSpec passive, TargetTls tls) {

    public UpstreamSpec(String name, List<TargetSpec> targets, BalancerKind balancer, HashOn hashOn,
                        HealthCheckSpec healthCheck, PassiveSpec passive) {
        this(name, targets, balancer, hashOn, healthCheck, passive, null);
    }

    public UpstreamSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("upstream name is required");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("upstream '" + name + "' needs at least one target");
        }
        targets = List.copyOf(targets);
        Set<String> seen = new HashSet<>();
        for (TargetSpec t : targets) {
            if (!seen.add(t.address())) {
                throw new IllegalArgumentException("upstream '" + name + "' lists target " + t.address() + " twice");
            }
        }
        if (balancer == null) {
            balancer = BalancerKind.ROUND_ROBIN;
        }
        if (balancer == BalancerKind.CONSISTENT_HASH && hashOn == null) {
            throw new IllegalArgumentException("upstream '" + name + "' uses consistent-hash and needs hash-on");
        }
        if (balancer != BalancerKind.CONSISTENT_HASH && hashOn != null) {
            throw new IllegalArgumentException("upstream '" + name + "' sets hash-on, which only consistent-hash uses");
        }
        if (passive == null) {
            passive = PassiveSpec.defaults();
        }
    }

    /** This pool, speaking TLS to its {@code https://} targets as {@code tls} says. */
    public UpstreamSpec withTls(TargetTls tls) {
        return new UpstreamSpec(name, targets, balancer, hashOn, healthCheck, passive, tls);
    }

    /** A round-robin pool with default passive detection and no active checks. */
    public static UpstreamSpec of(String name, List<TargetSpec> targets) {
        return new UpstreamSpec(name, targets, BalancerKind.ROUND_ROBIN, null, null, null);
    }
}
