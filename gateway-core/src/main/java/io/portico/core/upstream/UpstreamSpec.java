package io.portico.core.upstream;

import java.util.List;

/** Placeholder until the upstream package lands. */
public record UpstreamSpec(String name, List<TargetSpec> targets, BalancerKind balancer, HashOn hashOn,
                           HealthCheckSpec healthCheck, PassiveSpec passive) {
}
