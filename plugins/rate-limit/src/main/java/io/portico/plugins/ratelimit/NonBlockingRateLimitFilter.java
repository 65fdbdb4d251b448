package io.portico.plugins.ratelimit;

import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Response;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RateLimitFilter} whose counters are in memory and that refuses rather than waits:
 * nothing in it can block, so the route may run without a virtual thread of its own.
 */
final class NonBlockingRateLimitFilter implements NonBlockingFilter {
    private final RateLimitFilter limit;

    NonBlockingRateLimitFilter(RateLimitFilter limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        Decision decision;
        try {
            decision = limit.admit(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting in memory", e);
        }
        return chain.proceed(exchange).thenApply(response -> limit.decorate(response, decision));
    }
}
