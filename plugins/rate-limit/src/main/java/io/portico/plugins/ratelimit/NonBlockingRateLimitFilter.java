package io.portico.plugins.ratelimit;

import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Response;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RateLimitFilter} that refuses rather than waits (reject mode): counting in memory
 * answers at once, and a Redis call completes where its answer is read, so the route
 * needs no thread of its own while the counters are asked.
 */
final class NonBlockingRateLimitFilter implements NonBlockingFilter {
    private final RateLimitFilter limit;

    NonBlockingRateLimitFilter(RateLimitFilter limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        if (limit.answersAtOnce()) {
            // a refusal is thrown as the problem, which the pipeline answers like a failed stage
            limit.admitAtOnce(exchange);
            return chain.proceed(exchange);
        }
        return limit.admitAsync(exchange).thenCompose(decision -> chain.proceed(exchange));
    }
}
