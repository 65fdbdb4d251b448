package io.portico.core.upstream;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The target with the fewest requests in flight for its weight. Ties are broken by starting the
 * scan at a rotating position, so idle targets share the load instead of the first taking it all.
 */
final class LeastRequests implements Balancer {
    private final Target[] targets;
    private final AtomicInteger start = new AtomicInteger();

    LeastRequests(List<Target> targets) {
        this.targets = targets.toArray(Target[]::new);
    }

    @Override
    public Target pick(String hashKey, Set<Target> exclude) {
        int offset = Math.floorMod(start.getAndIncrement(), targets.length);
        Target best = null;
        for (int n = 0; n < targets.length; n++) {
            Target candidate = targets[(offset + n) % targets.length];
            if (!Balancer.usable(candidate, exclude)) {
                continue;
            }
            // compare (inFlight + 1) / weight without division
            if (best == null || (long) (candidate.inFlight() + 1) * best.spec().weight()
                    < (long) (best.inFlight() + 1) * candidate.spec().weight()) {
                best = candidate;
            }
        }
        return best;
    }
}
