package io.portico.plugins.auth;

import io.portico.api.Authentication;
import io.portico.api.Consumer;
import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.util.concurrent.CompletionStage;

/** Finds the API key, looks its digest up, and passes the request on as its consumer. */
final class KeyAuthFilter implements NonBlockingFilter {
    private final String header;
    private final QueryParameter query;
    private final boolean keepCredential;
    private final ApiKeys keys;
    private final Authentication authentication;
    private final String where;

    KeyAuthFilter(KeyAuthFactory.Config config, ApiKeys keys, Authentication authentication) {
        this.header = config.header();
        this.query = config.query() == null ? null : new QueryParameter(config.query());
        this.keepCredential = config.keepCredential();
        this.keys = keys;
        this.authentication = authentication;
        this.where = (header == null ? "" : "header " + header)
                + (header != null && query != null ? " or " : "")
                + (query == null ? "" : "query parameter " + config.query());
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        if (Authentication.settled(exchange)) {
            return chain.proceed(exchange);
        }
        Request request = exchange.request();
        String key = header == null ? null : request.header(header);
        if (key == null && query != null) {
            key = query.value(request.query());
        }
        if (key == null) {
            Exchange anonymous = authentication.withoutCredential(exchange);
            if (anonymous == null) {
                throw unauthorized("CREDENTIAL_MISSING", "no API key in the " + where);
            }
            return chain.proceed(anonymous);
        }
        Consumer consumer = key.isEmpty() ? null : keys.find(key);
        if (consumer == null) {
            throw unauthorized("CREDENTIAL_INVALID", "the API key is not valid");
        }
        return chain.proceed(authentication.authenticated(exchange, keepCredential ? request : strip(request), consumer));
    }

    private Request strip(Request request) {
        Request stripped = header == null ? request : request.withHeaders(request.headers().without(header));
        return query == null ? stripped : stripped.withQuery(query.remove(stripped.query()));
    }

    private static ProblemException unauthorized(String key, String detail) {
        return new ProblemException(401, key, "Unauthorized", detail)
                .withHeader("WWW-Authenticate", "Key realm=\"portico\"");
    }
}
