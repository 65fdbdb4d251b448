package io.portico.core.upstream;

import java.util.List;
import java.util.Set;

/**
 * nginx's smooth weighted round robin: every pick adds each target's weight to its running score,
 * takes the highest, and subtracts the total from the winner. Weights 5, 1, 1 give a a b a c a a,
 * not a burst of five. The lock is held for a few additions.
 */
final class SmoothRoundRobin implements Balancer {
    private final Target[] targets;
    private final int[] weights;
    private final long[] current;

    SmoothRoundRobin(List<Target> targets) {
        this.targets = targets.toArray(Target[]::new);
        this.weights = targets.stream().mapToInt(target -> target.spec().weight()).toArray();
        this.current = new long[this.targets.length];
    }

    @Override
    public synchronized Target pick(String hashKey, Set<Target> exclude) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < targets.length; i++) {
            if (!Balancer.usable(targets[i], exclude)) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
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
