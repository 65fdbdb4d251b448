package io.portico.plugins.ratelimit;

import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Reports a decision in headers: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} (seconds) and {@code RateLimit-Policy} as in the IETF httpapi draft, and
 * or instead the older {@code X-RateLimit-*}. With several windows the three numbers describe the
 * one closest to refusing; {@code RateLimit-Policy} lists them all.
 */
final class RateLimitHeaders {
    private static final List<String> IETF = List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
            "RateLimit-Policy");
    private static final List<String> LEGACY = List.of("X-RateLimit-Limit", "X-RateLimit-Remaining",
            "X-RateLimit-Reset");
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
            set.addAll(IETF);
        }
        if (legacy) {
            set.addAll(LEGACY);
        }
        this.names = List.copyOf(set);
        this.limits = space.windows().stream().map(w -> Integer.toString(w.requests())).toArray(String[]::new);
        this.policy = space.windows().stream()
                .map(w -> w.requests() + ";w=" + Durations.seconds(w.periodNanos()))
                .collect(Collectors.joining(", "));
    }

    Response onResponse(Response response, Decision decision) {
        if (names.isEmpty()) {
            return response;
        }
        Headers.Builder headers = response.headers().toBuilder();
        // the upstream's own headers of the names set here give way to the gateway's; most answers have none
        if (carriesAnyOf(response.headers())) {
            for (String name : names) {
                headers.remove(name);
            }
        }
        each(decision, headers::add);
        return response.withHeaders(headers.build());
    }

    ProblemException onProblem(ProblemException problem, Decision decision) {
        ProblemException[] answer = {problem};
        each(decision, (name, value) -> answer[0] = answer[0].withHeader(name, value));
        return answer[0];
    }

    /** The headers of this style for a decision, in order: the one place that knows which value goes where. */
    private void each(Decision decision, BiConsumer<String, String> out) {
        if (names.isEmpty()) {
            return;
        }
        String limit = limits[decision.window()];
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(Durations.ceilSeconds(decision.resetNanos()));
        if (ietf) {
            out.accept(IETF.get(0), limit);
            out.accept(IETF.get(1), remaining);
            out.accept(IETF.get(2), reset);
            out.accept(IETF.get(3), policy);
        }
        if (legacy) {
            out.accept(LEGACY.get(0), limit);
            out.accept(LEGACY.get(1), remaining);
            out.accept(LEGACY.get(2), reset);
        }
    }

    private boolean carriesAnyOf(Headers headers) {
        for (String name : names) {
            if (headers.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
