package io.portico.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A filter that never blocks: it returns at once, with whatever it does after the rest of the
 * chain in the returned stage. A route whose filters are all non-blocking runs without a thread of
 * its own, on the threads that read the request and the upstream's answer, which is markedly
 * cheaper than the virtual thread a blocking filter needs (see {@code docs/performance.md}).
 *
 * <p>Write one when a filter only computes: headers, CORS, checks against data held in memory.
 * Anything that may wait (the network, a disk, a slow hash such as bcrypt, {@code body.bytes()})
 * belongs in a plain {@link GatewayFilter}. Blocking here stalls a thread that serves many
 * connections.
 *
 * <pre>{@code
 * (exchange, chain) -> chain.proceed(exchange).thenApply(response -> response.withHeader("X-Served-By", "portico"))
 * }</pre>
 *
 * <p>The rules of {@link GatewayFilter} hold: proceed at most once, never return {@code null} nor
 * a stage completing with {@code null}; a stage failing with a {@link ProblemException} answers
 * with that problem, any other failure with a 500. On a route that also has a blocking filter, the
 * route runs on a virtual thread and this filter is called through {@link #filter(Exchange,
 * FilterChain)}, which waits for its stage.
 */
@FunctionalInterface
public interface NonBlockingFilter extends GatewayFilter {

    /**
     * Handles one exchange without blocking.
     *
     * @param exchange the request in flight and what earlier filters learned about it
     * @param chain    the rest of the pipeline, ending in the upstream call
     * @return the response to come, never {@code null}
     */
    CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain);

    /** Runs this filter inside a blocking pipeline, on the virtual thread it already has. */
    @Override
    default Response filter(Exchange exchange, FilterChain chain) throws Exception {
        CompletionStage<Response> stage = filterAsync(exchange, next -> {
            try {
                return CompletableFuture.completedFuture(chain.proceed(next));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        if (stage == null) {
            return null;
        }
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The rest of a pipeline, as a non-blocking filter sees it. Proceed at most once. */
    @FunctionalInterface
    interface NonBlockingChain {

        /**
         * Passes the exchange on.
         *
         * @return what further filters or the upstream will answer; fails as they fail
         */
        CompletionStage<Response> proceed(Exchange exchange);
    }
}
