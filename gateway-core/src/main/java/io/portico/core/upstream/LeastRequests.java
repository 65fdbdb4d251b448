package io.portico.core.upstream;

import java.util.List;
import java.util.Set;

/**
 * Fewest requests in flight relative to weight ({@code inFlight / weight}, compared exactly by
 * cross-multiplying), as nginx's {@code least_conn}. Targets that tie are picked among by smooth
 * weighted round robin, so an idle pool is still spread in proportion to weight.
 */
final class LeastRequests implements Balancer {

    private final Target[] targets;
    private final long[] current;
    private final int[] tied;

    LeastRequests(List<Target> targets) {
        this.targets = targets.toArray(Target[]::new);
        this.current = new long[this.targets.length];
        this.tied = new int[this.targets.length];
    }

    @Override
    public Target pick(String hashKey, Set<Target> exclude, long nowMillis) {
        synchronized (this) {
            int ties = 0;
            long bestInFlight = 0;
            int bestWeight = 1;
            for (int i = 0; i < targets.length; i++) {
                Target t = targets[i];
                if (!Balancer.eligible(t, exclude, nowMillis)) {
                    continue;
                }
                long n = t.inFlight();
                int w = t.weight();
                // n / w against bestInFlight / bestWeight, without division
                long cmp = ties == 0 ? -1 : Long.compare(n * bestWeight, bestInFlight * w);
                if (cmp < 0) {
                    ties = 0;
                    bestInFlight = n;
                    bestWeight = w;
                }
                if (cmp <= 0) {
                    tied[ties++] = i;
                }
            }
            if (ties == 0) {
                return null;
            }
            if (ties == 1) {
                return targets[tied[0]];
            }
            int best = -1;
            long total = 0;
            for (int k = 0; k < ties; k++) {
                int i = tied[k];
                current[i] += targets[i].weight();
                total += targets[i].weight();
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            return targets[best];
        }
    }
}
