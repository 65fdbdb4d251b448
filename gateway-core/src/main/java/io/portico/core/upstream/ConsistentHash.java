package io.portico.core.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A hash ring with 160 points per unit of weight, built once. A key goes to the first point at or
 * after its hash whose target is usable, so when a target goes away only its keys move. A request
 * without a key falls back to round robin.
 */
final class ConsistentHash implements Balancer {
    static final int POINTS_PER_WEIGHT = 160;

    private final long[] points;
    private final Target[] owners;
    private final Balancer fallback;

    ConsistentHash(List<Target> targets) {
        int total = targets.stream().mapToInt(target -> target.spec().weight() * POINTS_PER_WEIGHT).sum();
        long[][] ring = new long[total][];
        int at = 0;
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            for (int v = 0; v < target.spec().weight() * POINTS_PER_WEIGHT; v++) {
                ring[at++] = new long[] {hash(target.address() + "#" + v), t};
            }
        }
        Arrays.sort(ring, (a, b) -> Long.compare(a[0], b[0]));
        this.points = new long[total];
        this.owners = new Target[total];
        for (int i = 0; i < total; i++) {
            points[i] = ring[i][0];
            owners[i] = targets.get((int) ring[i][1]);
        }
        this.fallback = new SmoothRoundRobin(targets);
    }

    @Override
    public Target pick(String hashKey, Set<Target> exclude) {
        if (hashKey == null) {
            return fallback.pick(null, exclude);
        }
        int index = Arrays.binarySearch(points, hash(hashKey));
        if (index < 0) {
            index = -index - 1;
        }
        for (int n = 0; n < points.length; n++) {
            Target owner = owners[(index + n) % points.length];
            if (Balancer.usable(owner, exclude)) {
                return owner;
            }
        }
        return null;
    }

    /** FNV-1a over UTF-8, then murmur3's finalizer so nearby keys spread over the ring. */
    static long hash(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
