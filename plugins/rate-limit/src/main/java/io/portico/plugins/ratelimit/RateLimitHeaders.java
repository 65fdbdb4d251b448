package io.portico.plugins.ratelimit;

import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reports a decision in headers: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} (seconds) and {@code RateLimit-Policy} as in the IETF httpapi draft, and
 * or instead the older {@code X-RateLimit-*}. With several windows the three numbers describe the
 * one closest to refusing; {@code RateLimit-Policy} lists them all.
 */
final class RateLimitHeaders {
    private final boolean ietf;
    private final boolean legacy;
    private final String policy;
    /** Each window's limit as the header value, by window index. */
    private final String[] limits;
    /** The names this style sets. */
    private final List<String> names;

    RateLimitHeaders(CounterSpace space, RateLimitConfig.HeaderStyle style) {
        this.ietf = style == RateLimitConfig.HeaderStyle.IETF || style == RateLimitConfig.HeaderStyle.BOTH;
        this.legacy = style == RateLimitConfig.HeaderStyle.LEGACY || style == RateLimitConfig.HeaderStyle.BOTH;
        List<String> set = new ArrayList<>();
        if (ietf) {
            set.addAll(List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"));
        }
        if (legacy) {
            set.addAll(List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"));
        }
        this.names = List.copyOf(set);
        this.limits = space.windows().stream().map(w -> Integer.toString(w.requests())).toArray(String[]::new);
        this.policy = space.windows().stream()
                .map(w -> w.requests() + ";w=" + Durations.seconds(w.periodNanos()))
                .collect(Collectors.joining(", "));
    }

    Response onResponse(Response response, Decision decision) {
        if (!ietf && !legacy) {
            return response;
        }
        Headers.Builder headers = response.headers().toBuilder();
        // the upstream's own headers of the names set here give way to the gateway's; most answers have none
        if (carriesAnyOf(response.headers())) {
            for (String name : names) {
                headers.remove(name);
            }
        }
        String limit = limits[decision.window()];
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(Durations.ceilSeconds(decision.resetNanos()));
        if (ietf) {
            headers.add("RateLimit-Limit", limit).add("RateLimit-Remaining", remaining).add("RateLimit-Reset", reset)
                    .add("RateLimit-Policy", policy);
        }
        if (legacy) {
            headers.add("X-RateLimit-Limit", limit).add("X-RateLimit-Remaining", remaining)
                    .add("X-RateLimit-Reset", reset);
        }
        return response.withHeaders(headers.build());
    }

    private boolean carriesAnyOf(Headers headers) {
        for (String name : names) {
            if (headers.contains(name)) {
                return true;
            }
        }
        return false;
    }

    ProblemException onProblem(ProblemException problem, Decision decision) {
        if (!ietf && !legacy) {
            return problem;
        }
        String limit = limits[decision.window()];
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
