package io.portico.api;

import java.util.List;
import java.util.TreeSet;


/**
 * What every authentication filter does the same way, so that third-party ones behave like the
 * bundled ones: the rules stated on {@link Consumer} (step aside when a consumer is already
 * authenticated, fall back to the configured anonymous consumer), and the consumer headers sent
 * upstream: {@value #CONSUMER_ID}, {@value #CONSUMER_GROUPS} (sorted, comma separated) and
 * {@value #ANONYMOUS}. Headers of these names that the client sent are always removed, so that a
 * client can never pose as a consumer to an upstream that trusts them. Immutable and thread-safe.
 *
 * <pre>{@code
 * if (Authentication.settled(exchange)) return chain.proceed(exchange);
 * String credential = ...;
 * if (credential == null) {
 *     Exchange anonymous = authentication.withoutCredential(exchange);
 *     if (anonymous == null) throw new ProblemException(401, ...);
 *     return chain.proceed(anonymous);
 * }
 * Consumer consumer = verify(credential);   // 401 when wrong
 * return chain.proceed(authentication.authenticated(exchange, requestWithoutCredential, consumer));
 * }</pre>
 */
public final class Authentication {
    /** The header carrying the consumer's id upstream. */
    public static final String CONSUMER_ID = "X-Consumer-Id";
    /** The header carrying the consumer's groups upstream. */
    public static final String CONSUMER_GROUPS = "X-Consumer-Groups";
    /** {@code true} upstream when the consumer is the anonymous stand-in. */
    public static final String ANONYMOUS = "X-Anonymous-Consumer";

    private final Consumer anonymous;
    private final boolean consumerHeaders;

    private Authentication(Consumer anonymous, boolean consumerHeaders) {
        this.anonymous = anonymous;
        this.consumerHeaders = consumerHeaders;
    }

    /**
     * Reads the settings every authentication plugin should offer.
     *
     * @param anonymousId     the consumer that stands in for callers without a credential, or null
     * @param consumerHeaders whether to send the consumer headers upstream; null means yes
     * @param consumers       the configuration's consumers ({@link PluginContext#consumers()})
     * @throws IllegalArgumentException when the anonymous consumer is not declared
     */
    public static Authentication of(String anonymousId, Boolean consumerHeaders, List<ConsumerDefinition> consumers) {
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
    public static boolean settled(Exchange exchange) {
        return exchange.consumer().filter(consumer -> !consumer.anonymous()).isPresent();
    }

    /**
     * The exchange to go on with when the request carries no credential of this filter's kind,
     * or {@code null} when it must be refused (no anonymous consumer is configured).
     */
    public Exchange withoutCredential(Exchange exchange) {
        if (anonymous == null) {
            return null;
        }
        Exchange next = exchange.consumer().isPresent() ? exchange : exchange.withConsumer(anonymous);
        return next.withRequest(withConsumerHeaders(next.request(), next.consumer().orElseThrow()));
    }

    /**
     * The exchange carrying the consumer a credential identified.
     *
     * @param forwarded the request as it goes upstream, usually without the credential
     */
    public Exchange authenticated(Exchange exchange, Request forwarded, Consumer consumer) {
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
