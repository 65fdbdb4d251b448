package io.portico.plugins.ratelimit;

import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.GatewayFilter;
import io.portico.api.PluginContext;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One {@code rate-limit} place: keys the request, asks the store, and then lets it through (with
 * headers), delays it (throttle mode), refuses it with 429, or applies {@code on-redis-failure}
 * when the store cannot answer.
 */
final class RateLimitFilter implements GatewayFilter {
    private static final int MAX_ATTEMPTS = 8;

    private final CounterSpace space;
    private final LimitStore store;
    private final RequestKey requestKey;
    private final RateLimitHeaders headers;
    private final boolean throttle;
    private final long maxDelayNanos;
    private final boolean denyOnFailure;
    private final long retryAfterFailure;
    private final FailureLog failures;

    RateLimitFilter(RateLimitConfig config, CounterSpace space, LimitStore store, PluginContext context) {
        this.space = space;
        this.store = store;
        this.requestKey = new RequestKey(config.key());
        this.headers = new RateLimitHeaders(space, config.headers());
        this.throttle = config.mode() == RateLimitConfig.Mode.THROTTLE;
        this.maxDelayNanos = config.maxDelay().toNanos();
        this.denyOnFailure = config.onRedisFailure() == RateLimitConfig.FailurePolicy.DENY;
        this.retryAfterFailure = config.redis() == null ? 1
                : Math.max(1, Durations.ceilSeconds(config.redis().circuit().openFor().toNanos()));
        this.failures = new FailureLog(context.logger(), context.clock(), denyOnFailure ? "refused" : "let through");
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        Decision decision = admit(exchange);
        if (decision != null && decision.delayNanos() > 0) {
            Thread.sleep(Duration.ofNanos(decision.delayNanos()));
        }
        return chain.proceed(exchange);
    }

    /** Whether this place may run without a thread of its own: it refuses instead of waiting. */
    boolean neverWaits() {
        return !throttle;
    }

    /**
     * Counts the request and sets the answer's headers, or refuses it with a 429 (or 503) problem.
     *
     * @return the decision, or {@code null} when the store could not answer and the request goes on
     */
    Decision admit(Exchange exchange) throws InterruptedException {
        Decision decision;
        try {
            decision = decide(requestKey.of(exchange));
        } catch (StoreUnavailableException e) {
            return unavailable(e);
        }
        return admitted(exchange, decision);
    }

    /** Whether {@link #admitAtOnce} may be used: counting in memory, refusing rather than waiting. */
    boolean answersAtOnce() {
        return !throttle && store.inMemory();
    }

    /**
     * {@link #admit} for a place that {@link #answersAtOnce()}: no stage to build and complete.
     *
     * @throws ProblemException the 429 when the request is refused
     */
    Decision admitAtOnce(Exchange exchange) {
        try {
            return admitted(exchange, store.acquire(requestKey.of(exchange), 0));
        } catch (StoreUnavailableException e) {
            return unavailable(e);
        }
    }

    /** {@link #admit} for a place that {@link #neverWaits()}: the stage fails with the problem. */
    CompletionStage<Decision> admitAsync(Exchange exchange) {
        return store.acquireAsync(requestKey.of(exchange)).handle((decision, failure) -> {
            if (failure == null) {
                return admitted(exchange, decision);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof StoreUnavailableException unavailable) {
                return unavailable(unavailable);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
        });
    }

    /** The configured failure policy: 503, or {@code null} to let the request through. */
    private Decision unavailable(StoreUnavailableException e) {
        // no cause on the problem: the gateway would log it once per request; FailureLog logs it every 10s
        failures.record(e);
        if (denyOnFailure) {
            throw new ProblemException(503, "RATE_LIMIT_UNAVAILABLE", "Service Unavailable",
                    "the rate limit cannot be checked right now").withHeader("Retry-After", Long.toString(retryAfterFailure));
        }
        return null;
    }

    /**
     * The answer carries the decision's headers whatever it is (the upstream's, a 429, a 502), set
     * on the exchange rather than on a copy of the upstream's answer: no stage after the call.
     */
    private Decision admitted(Exchange exchange, Decision decision) {
        headers.set(exchange, decision);
        if (!decision.admitted()) {
            Window window = space.window(decision.window());
            long retryAfter = Math.max(1, Durations.ceilSeconds(decision.retryAfterNanos()));
            throw new ProblemException(429, "RATE_LIMITED", "Too Many Requests",
                    "the limit of " + window.describe() + " is used up; retry in " + retryAfter + "s")
                    .withHeader("Retry-After", Long.toString(retryAfter));
        }
        return decision;
    }

    /**
     * Asks the store. In throttle mode GCRA reserves the request's turn in the same call (the
     * decision then carries the delay); a sliding window cannot reserve, so the request sleeps
     * until one more fits and asks again, while the sleeps add up to no more than max-delay.
     */
    private Decision decide(String key) throws StoreUnavailableException, InterruptedException {
        Decision decision = store.acquire(key, throttle ? maxDelayNanos : 0);
        if (!throttle || space.algorithm() != RateLimitConfig.Algorithm.SLIDING_WINDOW) {
            return decision;
        }
        long budget = maxDelayNanos;
        // each retry waits for the moment one more fits; racing requests may take it, so a few tries
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !decision.admitted() && decision.retryAfterNanos() <= budget; attempt++) {
            Thread.sleep(Duration.ofNanos(decision.retryAfterNanos()));
            budget -= decision.retryAfterNanos();
            decision = store.acquire(key, 0);
        }
        return decision;
    }
}
