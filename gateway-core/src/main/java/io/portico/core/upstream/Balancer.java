package io.portico.core.upstream;

import java.util.Set;

/** Picks one target of a pool. Implementations are thread-safe and built once per pool. */
interface Balancer {

    /**
     * An eligible target (available at {@code nowMillis} and not in {@code exclude}), or
     * {@code null} when there is none.
     *
     * @param hashKey the consistent-hash input; ignored by the other balancers; may be null
     * @param exclude never null
     */
    Target pick(String hashKey, Set<Target> exclude, long nowMillis);

    static boolean eligible(Target t, Set<Target> exclude, long nowMillis) {
        return t.isAvailable(nowMillis) && (exclude.isEmpty() || !exclude.contains(t));
    }
}
