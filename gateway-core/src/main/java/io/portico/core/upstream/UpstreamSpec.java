package io.portico.core.upstream;

import java.util.List;

/**
 * An upstream pool as configured.
 *
 * @param name        the pool's name
 * @param targets     at least one
 * @param balancer    how a target is picked
 * @param hashOn      for {@link BalancerKind#CONSISTENT_HASH}: what to hash; otherwise null
 * @param healthCheck active checks, or null for none
 * @param passive     passive ejection
 */
public record UpstreamSpec(String name, List<TargetSpec> targets, BalancerKind balancer, HashOn hashOn,
                           HealthCheckSpec healthCheck, PassiveSpec passive) {

    public UpstreamSpec {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("upstream '" + name + "' has no target");
        }
    }
}
