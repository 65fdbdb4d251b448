package io.portico.core.upstream;

import java.util.Set;

/** Picks one available target not in {@code exclude}, or {@code null} when there is none. */
interface Balancer {
    Target pick(String hashKey, Set<Target> exclude);

    static boolean usable(Target target, Set<Target> exclude) {
        return target.isAvailable() && (exclude.isEmpty() || !exclude.contains(target));
    }
}
