package io.portico.api;

/**
 * Where a filter runs in a route's pipeline. Filters run in phase order, then in the order they
 * are listed in the configuration (global {@code plugins:} first, then the route's own). There are
 * no numeric priorities.
 */
public enum Phase {
    /** First contact: request ids, CORS preflight, IP restriction, size limits. */
    EDGE,
    /** Who is calling: sets the {@link Consumer} on the exchange. */
    AUTHENTICATION,
    /** May the consumer do this: answers 401 or 403. */
    AUTHORIZATION,
    /** Rate limits and throttles. */
    TRAFFIC,
    /** Response caching: may answer without calling the upstream. */
    CACHE,
    /** Request and response rewriting closest to the upstream call. */
    TRANSFORM
}
