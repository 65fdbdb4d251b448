package io.portico.core.upstream;

import java.util.List;
import java.util.Set;

/**
 * nginx's smooth weighted round robin. Each pick adds every eligible target's weight to its
 * current weight, takes the target with the largest current weight (the first on a tie), and
 * subtracts the eligible total from it. Weights 5, 1, 1 give a, a, b, a, c, a, a and repeat.
 * Ineligible targets take no part in a pick, as in nginx.
 */
final class SmoothWeightedRoundRobin implements Balancer {

    private final Target[] targets;
    private final long[] current;

    SmoothWeightedRoundRobin(List<Target> targets) {
        this.targets = targets.toArray(Target[]::new);
        this.current = new long[this.targets.length];
    }

    @Override
    public Target pick(String hashKey, Set<Target> exclude, long nowMillis) {
        synchronized (this) {
            int best = -1;
            long total = 0;
            for (int i = 0; i < targets.length; i++) {
                Target t = targets[i];
                if (!Balancer.eligible(t, exclude, nowMillis)) {
                    continue;
                }
                current[i] += t.weight();
                total += t.weight();
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            current[best] -= total;
            return targets[best];
        }
    }
}
