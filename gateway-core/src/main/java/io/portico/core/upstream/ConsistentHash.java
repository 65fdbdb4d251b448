package io.portico.core.upstream;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A hash ring (ketama style). Each target owns {@value #POINTS_PER_WEIGHT} points per unit of
 * weight, placed by hashing {@code "host:port#i"}, so the ring depends only on the addresses and
 * weights, not on the order of the list. A key goes to the owner of the first point at or after
 * its hash; if that target is not eligible the walk goes on round the ring, so when a target goes
 * away only its own keys move, and they spread over the others. A {@code null} key falls back to
 * weighted round robin.
 */
final class ConsistentHash implements Balancer {

    static final int POINTS_PER_WEIGHT = 160;
    /** Keeps the ring within a few MB however large the weights. */
    static final int MAX_POINTS = 1 << 20;

    private final Target[] targets;
    private final long[] points;
    private final int[] owners;
    private final Balancer fallback;

    ConsistentHash(List<Target> targets) {
        this.targets = targets.toArray(Target[]::new);
        this.fallback = new SmoothWeightedRoundRobin(targets);
        long totalWeight = 0;
        for (Target t : this.targets) {
            totalWeight += t.weight();
        }
        int perWeight = (int) Math.max(1, Math.min(POINTS_PER_WEIGHT, MAX_POINTS / totalWeight));
        int size = 0;
        for (Target t : this.targets) {
            size += t.weight() * perWeight;
        }
        long[] packedHashes = new long[size];
        int[] packedOwners = new int[size];
        // (hash, owner) pairs, sorted by hash once when the pool is built.
        long[][] pairs = new long[size][];
        int n = 0;
        for (int ti = 0; ti < this.targets.length; ti++) {
            String base = this.targets[ti].address() + "#";
            int count = this.targets[ti].weight() * perWeight;
            for (int i = 0; i < count; i++) {
                pairs[n++] = new long[] {Hashing.hash64(base + i), ti};
            }
        }
        // On equal hashes (practically never) the lower address wins, so the ring is order-independent.
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : this.targets[(int) a[1]].address().compareTo(this.targets[(int) b[1]].address()));
        for (int i = 0; i < size; i++) {
            packedHashes[i] = pairs[i][0];
            packedOwners[i] = (int) pairs[i][1];
        }
        this.points = packedHashes;
        this.owners = packedOwners;
    }

    @Override
    public Target pick(String hashKey, Set<Target> exclude, long nowMillis) {
        if (hashKey == null) {
            return fallback.pick(null, exclude, nowMillis);
        }
        boolean any = false;
        for (Target t : targets) {
            if (Balancer.eligible(t, exclude, nowMillis)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return null;
        }
        long h = Hashing.hash64(hashKey);
        int i = Arrays.binarySearch(points, h);
        if (i < 0) {
            i = -i - 1;
        }
        // Some eligible target owns points, so the walk ends within one turn.
        for (int step = 0; step < points.length; step++) {
            Target t = targets[owners[(i + step) % points.length]];
            if (Balancer.eligible(t, exclude, nowMillis)) {
                return t;
            }
        }
        return null;
    }

    int ringSize() {
        return points.length;
    }
}
