package io.portico.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One request in flight through a route's pipeline, and what filters learned about it.
 *
 * <p>An exchange is immutable except for its attributes and the headers set for its answer:
 * {@link #withRequest} and {@link #withConsumer} return copies, and every copy made from the same
 * original shares one store of both, so a value set by an early filter is seen by later ones
 * whichever copy they hold. That store is thread-safe.
 */
public final class Exchange {
    private final String requestId;
    private final Request request;
    private final String clientAddress;
    private final boolean secure;
    private final MatchedRoute route;
    private final Consumer consumer;
    private final Attributes attributes;

    private Exchange(String requestId, Request request, String clientAddress, boolean secure,
                     MatchedRoute route, Consumer consumer, Attributes attributes) {
        this.requestId = requestId;
        this.request = request;
        this.clientAddress = clientAddress;
        this.secure = secure;
        this.route = route;
        this.consumer = consumer;
        this.attributes = attributes;
    }

    /**
     * A new exchange with its own, empty attribute store. The gateway makes one per request; tests
     * and tools make them by hand.
     *
     * @param requestId     the request id, sent back as {@code X-Request-Id}
     * @param request       the request as received
     * @param clientAddress the client's IP address (the trusted {@code X-Forwarded-For} hop when
     *                      the gateway sits behind a trusted proxy)
     * @param secure        whether the client reached the gateway over TLS
     * @param route         the route the request matched
     */
    public static Exchange create(String requestId, Request request, String clientAddress, boolean secure,
                                  MatchedRoute route) {
        return new Exchange(Objects.requireNonNull(requestId, "requestId"), Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(clientAddress, "clientAddress"), secure, Objects.requireNonNull(route, "route"),
                null, new Attributes());
    }

    /** The request id: the client's {@code X-Request-Id} when it sent a valid one, else a new one. */
    public String requestId() {
        return requestId;
    }

    /** The request as it now stands. */
    public Request request() {
        return request;
    }

    /** The client's IP address. */
    public String clientAddress() {
        return clientAddress;
    }

    /** Whether the client reached the gateway over TLS. */
    public boolean secure() {
        return secure;
    }

    /** The matched route, with its path variables. */
    public MatchedRoute route() {
        return route;
    }

    /** The authenticated consumer, once an authentication filter set one. */
    public Optional<Consumer> consumer() {
        return Optional.ofNullable(consumer);
    }

    /** A copy carrying another request; attributes stay shared. */
    public Exchange withRequest(Request newRequest) {
        return new Exchange(requestId, Objects.requireNonNull(newRequest, "request"), clientAddress, secure, route,
                consumer, attributes);
    }

    /** A copy carrying an authenticated consumer; attributes stay shared. */
    public Exchange withConsumer(Consumer newConsumer) {
        return new Exchange(requestId, request, clientAddress, secure, route,
                Objects.requireNonNull(newConsumer, "consumer"), attributes);
    }

    /** The value stored under {@code key}, if any. */
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    /**
     * Stores a value for later filters, replacing an earlier one under the same key.
     *
     * @throws ClassCastException when the value is not of the key's type
     */
    public <T> void setAttribute(AttributeKey<T> key, T value) {
        attributes.put(key, key.type().cast(Objects.requireNonNull(value, "value")));
    }

    /**
     * Sets a header on the answer the client gets for this exchange, whichever it turns out to be:
     * the upstream's, one a filter made, or a problem the gateway answers with (a 429, a 502). The
     * gateway writes it last, replacing every field of that name the answer carries, and replaces
     * an earlier value set here under the same name (case-insensitive). Hop-by-hop fields,
     * {@code Content-Length} and {@code X-Request-Id}, which belong to the connection, the body and
     * the gateway, are not written.
     *
     * <p>Meant for what a filter knows before the answer: a rate limit's remaining count, a trace
     * id. It needs no stage after {@code proceed} and no copy of the answer's headers, and filters
     * that look at the answer (a cache) neither see nor store it. To read or change the upstream's
     * headers, change the {@link Response} instead.
     *
     * @throws IllegalArgumentException when the name is not an HTTP token, or the value holds CR,
     *                                  LF or NUL
     */
    public void setResponseHeader(String name, String value) {
        attributes.setResponseHeader(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    /** The headers set so far with {@link #setResponseHeader}, in the order they were set. */
    public Headers responseHeaders() {
        return attributes.responseHeaders();
    }

    /**
     * Adds a header to the answer the client gets for this exchange, whichever it turns out to be,
     * as {@link #setResponseHeader} does, but after the fields of that name the answer carries
     * instead of over them: for a list such as {@code Vary}, where the upstream's
     * {@code Vary: Accept-Encoding} must stay beside a filter's {@code Vary: Origin}. Written after
     * the headers set with {@link #setResponseHeader}; the same fields are left out.
     *
     * @throws IllegalArgumentException when the name is not an HTTP token, or the value holds CR,
     *                                  LF or NUL
     */
    public void addResponseHeader(String name, String value) {
        attributes.addResponseHeader(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    /** The headers added so far with {@link #addResponseHeader}, in the order they were added. */
    public Headers addedResponseHeaders() {
        return attributes.addedResponseHeaders();
    }

    @Override
    public String toString() {
        return "Exchange[" + requestId + " " + request.method() + " " + request.path() + " route=" + route.id() + "]";
    }
}
