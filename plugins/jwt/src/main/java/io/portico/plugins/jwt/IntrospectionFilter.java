package io.portico.plugins.jwt;

import io.portico.api.Authentication;
import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * Checks an opaque bearer token with the identity provider, without holding a thread: a remembered
 * token is answered at once, an unknown one continues when the provider's answer arrives.
 */
final class IntrospectionFilter implements NonBlockingFilter {
    private final Introspector introspector;
    private final TokenSource source;
    private final Authentication authentication;
    private final List<String> requiredScopes;
    private final long maxTokenLength;
    private final boolean keepCredential;

    IntrospectionFilter(IntrospectionFactory.Config config, Introspector introspector, TokenSource source,
                        Authentication authentication) {
        this.introspector = introspector;
        this.source = source;
        this.authentication = authentication;
        this.requiredScopes = List.copyOf(config.requiredScopes());
        this.maxTokenLength = config.maxTokenSize().bytes();
        this.keepCredential = config.keepCredential();
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        if (Authentication.settled(exchange)) {
            return chain.proceed(exchange);
        }
        String token = source.find(exchange.request());
        if (token == null) {
            Exchange anonymous = authentication.withoutCredential(exchange);
            if (anonymous == null) {
                throw new ProblemException(401, "CREDENTIAL_MISSING", "Unauthorized", "no bearer token")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"portico\"");
            }
            return chain.proceed(anonymous);
        }
        if (token.isEmpty() || token.length() > maxTokenLength) {
            throw invalid(token.isEmpty() ? "the bearer token is empty" : "the token is longer than " + maxTokenLength
                    + " bytes");
        }
        return introspector.introspect(token).thenCompose(active -> {
            if (active == null) {
                throw invalid("the token is not active");
            }
            if (!active.consumer().scopes().containsAll(requiredScopes)) {
                String scopes = String.join(" ", new TreeSet<>(requiredScopes));
                throw new ProblemException(403, "FORBIDDEN", "Forbidden", "the token lacks the scopes " + scopes)
                        .withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scopes + "\"");
            }
            Request request = exchange.request();
            return chain.proceed(authentication.authenticated(exchange,
                    keepCredential ? request : source.strip(request), active.consumer()));
        });
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(401, "CREDENTIAL_INVALID", "Unauthorized", detail)
                .withHeader("WWW-Authenticate", "Bearer realm=\"portico\", error=\"invalid_token\"");
    }
}
