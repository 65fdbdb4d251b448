package io.portico.plugins.auth;

import io.portico.api.Consumer;
import io.portico.api.ConsumerDefinition;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.Request;
import java.util.List;
import java.util.TreeSet;

/**
 * What every authentication filter of this plugin does the same way: the rules of
 * {@link Consumer} (skip when someone is already authenticated, fall back to the anonymous
 * consumer), and the consumer headers sent upstream. Client-sent consumer headers are always
 * removed, so that a client can never pose as a consumer to an upstream that trusts them.
 */
final class Authentication {
    static final String CONSUMER_ID = "X-Consumer-Id";
    static final String CONSUMER_GROUPS = "X-Consumer-Groups";
    static final String ANONYMOUS = "X-Anonymous-Consumer";

    private final Consumer anonymous;
    private final boolean consumerHeaders;

    private Authentication(Consumer anonymous, boolean consumerHeaders) {
        this.anonymous = anonymous;
        this.consumerHeaders = consumerHeaders;
    }

    /**
     * @param anonymousId the consumer that stands in for callers without a credential, or null
     * @throws IllegalArgumentException when that consumer is not declared
     */
    static Authentication of(String anonymousId, Boolean consumerHeaders, List<ConsumerDefinition> consumers) {
        Consumer anonymous = null;
        if (anonymousId != null) {
            anonymous = consumers.stream().filter(consumer -> consumer.id().equals(anonymousId)).findFirst()
                    .map(consumer -> consumer.toConsumer().withAnonymous(true))
                    .orElseThrow(() -> new IllegalArgumentException("anonymous: no consumer '" + anonymousId
                            + "' in the consumers section"));
        }
        return new Authentication(anonymous, consumerHeaders == null || consumerHeaders);
    }

    /** Whether an earlier filter already authenticated a real consumer, so this one steps aside. */
    static boolean settled(Exchange exchange) {
        return exchange.consumer().filter(consumer -> !consumer.anonymous()).isPresent();
    }

    /**
     * The exchange to go on with when the request carries no credential of this filter's kind,
     * or {@code null} when it must be refused.
     */
    Exchange withoutCredential(Exchange exchange) {
        if (anonymous == null) {
            return null;
        }
        Exchange next = exchange.consumer().isPresent() ? exchange : exchange.withConsumer(anonymous);
        return next.withRequest(withConsumerHeaders(next.request(), next.consumer().orElseThrow()));
    }

    /** The exchange carrying the consumer a credential identified, with the request as it goes upstream. */
    Exchange authenticated(Exchange exchange, Request forwarded, Consumer consumer) {
        return exchange.withConsumer(consumer).withRequest(withConsumerHeaders(forwarded, consumer));
    }

    private Request withConsumerHeaders(Request request, Consumer consumer) {
        Headers.Builder headers = request.headers().toBuilder().remove(CONSUMER_ID).remove(CONSUMER_GROUPS)
                .remove(ANONYMOUS);
        if (consumerHeaders) {
            headers.set(CONSUMER_ID, consumer.id());
            if (!consumer.groups().isEmpty()) {
                headers.set(CONSUMER_GROUPS, String.join(",", new TreeSet<>(consumer.groups())));
            }
            if (consumer.anonymous()) {
                headers.set(ANONYMOUS, "true");
            }
        }
        return request.withHeaders(headers.build());
    }
}
