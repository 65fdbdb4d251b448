package io.portico.plugins.auth;

import io.portico.api.Consumer;
import io.portico.api.Exchange;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/** Decides from the consumer on the exchange; never calls anything, so it never blocks. */
final class AclFilter implements NonBlockingFilter {
    private final Set<String> deny;
    private final List<AclFactory.Rule> rules;

    AclFilter(Set<String> deny, List<AclFactory.Rule> rules) {
        this.deny = deny;
        this.rules = rules;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        String method = exchange.request().method();
        AclFactory.Rule rule = ruleFor(method);
        Consumer consumer = exchange.consumer().orElse(null);
        boolean authenticated = consumer != null && !consumer.anonymous();
        if (consumer != null && !Collections.disjoint(consumer.groups(), deny)) {
            throw forbidden("consumer '" + consumer.id() + "' is in a group that may not call this route");
        }
        if (rule == null) {
            throw forbidden("no rule of this route allows " + method);
        }
        if (!authenticated) {
            if (rule.anonymous()) {
                return chain.proceed(exchange);
            }
            throw new ProblemException(401, "AUTHENTICATION_REQUIRED", "Unauthorized",
                    method + " on this route needs an authenticated consumer");
        }
        if (!rule.groups().isEmpty() && Collections.disjoint(consumer.groups(), rule.groups())) {
            throw forbidden("consumer '" + consumer.id() + "' may not " + method + " here; it needs one of the groups "
                    + String.join(", ", new TreeSet<>(rule.groups())));
        }
        if (!consumer.scopes().containsAll(rule.scopes())) {
            throw forbidden(method + " here needs the scopes " + String.join(" ", new TreeSet<>(rule.scopes())))
                    .withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                            + String.join(" ", new TreeSet<>(rule.scopes())) + "\"");
        }
        for (Map.Entry<String, String> claim : rule.claims().entrySet()) {
            if (!claim.getValue().equals(consumer.claims().get(claim.getKey()))) {
                throw forbidden(method + " here needs the claim " + claim.getKey() + " to be " + claim.getValue());
            }
        }
        return chain.proceed(exchange);
    }

    private AclFactory.Rule ruleFor(String method) {
        for (AclFactory.Rule rule : rules) {
            if (rule.methods().isEmpty() || rule.methods().contains(method)) {
                return rule;
            }
        }
        return null;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "FORBIDDEN", "Forbidden", detail);
    }
}
