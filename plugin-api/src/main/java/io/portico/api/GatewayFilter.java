package io.portico.api;

/**
 * One step of a route's pipeline: a single method around {@link FilterChain#proceed(Exchange)}.
 *
 * <p>A filter may answer early (return a response without calling {@code proceed}), change the
 * request (pass {@code exchange.withRequest(...)} to {@code proceed}), and change the response that
 * {@code proceed} returned. It must call {@code proceed} at most once and never return {@code null};
 * the chain enforces both and names the filter that broke the rule.
 *
 * <p>Filters run on virtual threads: blocking calls (a Redis round trip, a JWKS fetch) are plain
 * method calls. A filter instance is shared by every request on its route and must be thread-safe.
 * An exception thrown here answers that one request with a 500 problem response (or the status of
 * a {@link ProblemException}); the gateway goes on.
 */
@FunctionalInterface
public interface GatewayFilter {

    /**
     * Handles one exchange.
     *
     * @param exchange the request in flight and what earlier filters learned about it
     * @param chain    the rest of the pipeline, ending in the upstream call
     * @return the response to send back towards the client, never {@code null}
     * @throws Exception any failure; the client gets a problem response carrying the request id
     */
    Response filter(Exchange exchange, FilterChain chain) throws Exception;
}
