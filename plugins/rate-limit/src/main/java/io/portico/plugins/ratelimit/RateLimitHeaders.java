package io.portico.plugins.ratelimit;

import io.portico.api.Exchange;
import java.util.List;
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

    RateLimitHeaders(CounterSpace space, RateLimitConfig.HeaderStyle style) {
        this.ietf = style == RateLimitConfig.HeaderStyle.IETF || style == RateLimitConfig.HeaderStyle.BOTH;
        this.legacy = style == RateLimitConfig.HeaderStyle.LEGACY || style == RateLimitConfig.HeaderStyle.BOTH;
        this.limits = space.windows().stream().map(w -> Integer.toString(w.requests())).toArray(String[]::new);
        this.policy = space.windows().stream()
                .map(w -> w.requests() + ";w=" + Durations.seconds(w.periodNanos()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Sets the headers of this style for a decision on the exchange's answer, where they replace
     * the upstream's own of those names.
     */
    void set(Exchange exchange, Decision decision) {
        if (!ietf && !legacy) {
            return;
        }
        String limit = limits[decision.window()];
        String remaining = Long.toString(decision.remaining());
        String reset = Long.toString(Durations.ceilSeconds(decision.resetNanos()));
        if (ietf) {
            exchange.setResponseHeader(IETF.get(0), limit);
            exchange.setResponseHeader(IETF.get(1), remaining);
            exchange.setResponseHeader(IETF.get(2), reset);
            exchange.setResponseHeader(IETF.get(3), policy);
        }
        if (legacy) {
            exchange.setResponseHeader(LEGACY.get(0), limit);
            exchange.setResponseHeader(LEGACY.get(1), remaining);
            exchange.setResponseHeader(LEGACY.get(2), reset);
        }
    }
}
