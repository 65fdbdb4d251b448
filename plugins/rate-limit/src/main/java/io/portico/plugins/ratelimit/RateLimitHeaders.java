package io.portico.plugins.ratelimit;

import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.stream.Collectors;

/**
 * Reports a decision in headers: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} (seconds) and {@code RateLimit-Policy} as in the IETF httpapi draft, and
 * or instead the older {@code X-RateLimit-*}. With several windows the three numbers describe the
 * one closest to refusing; {@code RateLimit-Policy} lists them all.
 */
final class RateLimitHeaders {
    private final CounterSpace space;
    private final boolean ietf;
    private final boolean legacy;
    private final String policy;

    RateLimitHeaders(CounterSpace space, RateLimitConfig.HeaderStyle style) {
        this.space = space;
        this.ietf = style == RateLimitConfig.HeaderStyle.IETF || style == RateLimitConfig.HeaderStyle.BOTH;
        this.legacy = style == RateLimitConfig.HeaderStyle.LEGACY || style == RateLimitConfig.HeaderStyle.BOTH;
        this.policy = space.windows().stream()
                .map(w -> w.requests() + ";w=" + Durations.seconds(w.periodNanos()))
                .collect(Collectors.joining(", "));
    }

    Response onResponse(Response response, Decision decision) {
        if (!ietf && !legacy) {
            return response;
        }
        Headers.Builder headers = response.headers().toBuilder();
        String limit = Integer.toString(space.window(decision.window()).requests());
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(Durations.ceilSeconds(decision.resetNanos()));
        if (ietf) {
            headers.set("RateLimit-Limit", limit).set("RateLimit-Remaining", remaining).set("RateLimit-Reset", reset)
                    .set("RateLimit-Policy", policy);
        }
        if (legacy) {
            headers.set("X-RateLimit-Limit", limit).set("X-RateLimit-Remaining", remaining)
                    .set("X-RateLimit-Reset", reset);
        }
        return response.withHeaders(headers.build());
    }

    ProblemException onProblem(ProblemException problem, Decision decision) {
        if (!ietf && !legacy) {
            return problem;
        }
        String limit = Integer.toString(space.window(decision.window()).requests());
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(Durations.ceilSeconds(decision.resetNanos()));
        ProblemException answer = problem;
        if (ietf) {
            answer = answer.withHeader("RateLimit-Limit", limit).withHeader("RateLimit-Remaining", remaining)
                    .withHeader("RateLimit-Reset", reset).withHeader("RateLimit-Policy", policy);
        }
        if (legacy) {
            answer = answer.withHeader("X-RateLimit-Limit", limit).withHeader("X-RateLimit-Remaining", remaining)
                    .withHeader("X-RateLimit-Reset", reset);
        }
        return answer;
    }
}
