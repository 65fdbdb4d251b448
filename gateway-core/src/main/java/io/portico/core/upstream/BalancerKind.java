package io.portico.core.upstream;

/** How an {@link Upstream} spreads requests over its available targets. */
public enum BalancerKind {
    /** Smooth weighted round robin, as nginx does it: even interleaving in proportion to weight. */
    ROUND_ROBIN,
    /** Fewest requests in flight relative to weight; ties are broken by weighted round robin. */
    LEAST_REQUESTS,
    /** A hash ring over a request key ({@link HashOn}), so one key keeps reaching one target. */
    CONSISTENT_HASH
}
