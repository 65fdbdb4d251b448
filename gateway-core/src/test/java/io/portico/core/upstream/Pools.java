package io.portico.core.upstream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Small builders and readings shared by the tests. */
final class Pools {

    private Pools() {
    }

    /** Targets 127.0.0.1:9001, :9002, ... with the given weights. */
    static List<TargetSpec> targets(int... weights) {
        List<TargetSpec> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(new TargetSpec("http", "127.0.0.1", 9001 + i, weights[i]));
        }
        return list;
    }

    static Upstream pool(BalancerKind kind, Clock clock, int... weights) {
        HashOn hashOn = kind == BalancerKind.CONSISTENT_HASH ? HashOn.header("X-User") : null;
        return Upstream.create(new UpstreamSpec("orders", targets(weights), kind, hashOn, null, null), clock);
    }

    /** The port of each of {@code n} picks, as a string like "9001 9001 9002". */
    static String picks(Upstream up, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Target t = up.select(null, Set.of());
            sb.append(i == 0 ? "" : " ").append(t == null ? "null" : t.spec().port());
        }
        return sb.toString();
    }

    static Map<Integer, Integer> countPicks(Upstream up, int n) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(up.select(null, Set.of()).spec().port(), 1, Integer::sum);
        }
        return counts;
    }

    /** Ejects {@code t} by reporting the pool's failure threshold of failures. */
    static void eject(Upstream up, Target t) {
        for (int i = 0; i < up.spec().passive().consecutiveFailures(); i++) {
            up.onStart(t);
            up.onFailure(t);
        }
    }
}
