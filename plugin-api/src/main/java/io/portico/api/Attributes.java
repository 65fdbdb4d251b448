package io.portico.api;

import java.util.Arrays;

/**
 * An exchange's shared, mutable part: its attributes, and the headers filters set for its answer
 * ({@link Exchange#setResponseHeader}, {@link Exchange#addResponseHeader}). A request carries a
 * few attributes (the client's facts, the target, what a filter leaves for the next), so they are
 * pairs in a short array searched by the keys' identity, not a hash table: a profile of the plain
 * route put 0.85% of the gateway's CPU in the hash table's two writes and two reads per request.
 * Filters of one exchange may run on several threads, so every access holds this object's lock.
 */
final class Attributes {
    private Object[] pairs = new Object[8];
    private int size;
    /** The headers set for the answer, made on the first one: most requests set none. */
    private Headers.Builder responseHeaders;
    /** The headers added to the answer, made on the first one. */
    private Headers.Builder addedResponseHeaders;

    synchronized Object get(AttributeKey<?> key) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i] == key) {
                return pairs[2 * i + 1];
            }
        }
        return null;
    }

    synchronized void put(AttributeKey<?> key, Object value) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i] == key) {
                pairs[2 * i + 1] = value;
                return;
            }
        }
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = key;
        pairs[2 * size + 1] = value;
        size++;
    }

    synchronized void setResponseHeader(String name, String value) {
        responseHeaders = orNew(responseHeaders).set(name, value);
    }

    synchronized Headers responseHeaders() {
        return built(responseHeaders);
    }

    synchronized void addResponseHeader(String name, String value) {
        addedResponseHeaders = orNew(addedResponseHeaders).add(name, value);
    }

    synchronized Headers addedResponseHeaders() {
        return built(addedResponseHeaders);
    }

    private static Headers.Builder orNew(Headers.Builder builder) {
        return builder == null ? Headers.builder() : builder;
    }

    private static Headers built(Headers.Builder builder) {
        return builder == null ? Headers.empty() : builder.build();
    }
}
