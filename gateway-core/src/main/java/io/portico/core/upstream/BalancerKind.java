package io.portico.core.upstream;

/** How a pool picks a target. */
public enum BalancerKind {
    /** Smooth weighted round robin, as nginx does it: weights spread evenly, not in bursts. */
    ROUND_ROBIN,
    /** The target with the fewest requests in flight relative to its weight. */
    LEAST_REQUESTS,
    /** A ring of hashes: the same key goes to the same target while it is available. */
    CONSISTENT_HASH
}
