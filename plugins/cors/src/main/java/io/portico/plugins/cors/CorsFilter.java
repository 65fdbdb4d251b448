package io.portico.plugins.cors;

import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers preflights and decorates answers to cross-origin requests, per one {@link CorsPolicy}. */
final class CorsFilter implements NonBlockingFilter {
    private final CorsPolicy policy;

    CorsFilter(CorsPolicy policy) {
        this.policy = policy;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        Request request = exchange.request();
        String origin = request.header("Origin");
        if (origin == null) {
            return chain.proceed(exchange);
        }
        String requestedMethod = request.header("Access-Control-Request-Method");
        if ("OPTIONS".equals(request.method()) && requestedMethod != null) {
            return CompletableFuture.completedFuture(preflight(origin, requestedMethod,
                    request.header("Access-Control-Request-Headers")));
        }
        decorate(origin, exchange);
        return chain.proceed(exchange);
    }

    /**
     * On the exchange, so that whatever answer the request gets carries them: a 401 or 429 problem
     * from a later filter, a 502, as much as the upstream's answer. Without them the browser hides
     * the status from the page, which then sees a network error instead of "retry in 1s".
     */
    private void decorate(String origin, Exchange exchange) {
        exchange.addResponseHeader("Vary", "Origin");
        if (!policy.allowsOrigin(origin)) {
            return;
        }
        exchange.setResponseHeader("Access-Control-Allow-Origin", policy.anyOrigin() ? "*" : origin);
        if (policy.credentials()) {
            exchange.setResponseHeader("Access-Control-Allow-Credentials", "true");
        }
        if (!policy.exposedValue().isEmpty()) {
            exchange.setResponseHeader("Access-Control-Expose-Headers", policy.exposedValue());
        }
    }

    private Response preflight(String origin, String method, String requestedHeaders) {
        if (!policy.allowsOrigin(origin)) {
            throw refused("origin " + origin + " is not allowed");
        }
        if (!policy.methods().contains(method)) {
            throw refused("method " + method + " is not allowed from other origins; allowed: " + policy.methodsValue());
        }
        if (!policy.allowsHeaders(requestedHeaders)) {
            throw refused("a requested header is not allowed: " + requestedHeaders);
        }
        Headers.Builder headers = Headers.builder()
                .set("Access-Control-Allow-Origin", policy.anyOrigin() ? "*" : origin)
                .set("Access-Control-Allow-Methods", policy.methodsValue())
                .set("Access-Control-Max-Age", policy.maxAgeValue())
                .set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (requestedHeaders != null && !requestedHeaders.isBlank()) {
            // echoed after checking it: with '*' it is the only way to allow credentialed headers
            headers.set("Access-Control-Allow-Headers", requestedHeaders);
        }
        if (policy.credentials()) {
            headers.set("Access-Control-Allow-Credentials", "true");
        }
        return new Response(204, headers.build(), io.portico.api.Body.empty());
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(403, "CORS_PREFLIGHT_REFUSED", "Forbidden", detail);
    }
}
