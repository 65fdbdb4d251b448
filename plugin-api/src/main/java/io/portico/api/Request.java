package io.portico.api;

import java.util.Objects;

/**
 * An HTTP request as it travels towards the upstream. Immutable; each {@code withX} returns a copy.
 *
 * @param method  the method, upper case as received ({@code GET})
 * @param path    the decoded, normalized path ({@code /api/orders/42}); the gateway refuses
 *                ambiguous paths before any filter sees them
 * @param query   the raw query string without {@code ?}, or {@code null} when there is none
 * @param headers the header fields, hop-by-hop fields already removed
 * @param body    the content, streaming unless a filter replaced it
 */
public record Request(String method, String path, String query, Headers headers, Body body) {

    /** Validates the parts. */
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a request path must start with '/': " + path);
        }
    }

    /** A request with no query, no headers and no body. */
    public static Request of(String method, String path) {
        return new Request(method, path, null, Headers.empty(), Body.empty());
    }

    /** A copy with another method. */
    public Request withMethod(String newMethod) {
        return new Request(newMethod, path, query, headers, body);
    }

    /**
     * A copy with another path. A filter that sets the path sets the upstream path: the route's
     * {@code strip-prefix} and {@code rewrite} then no longer apply.
     */
    public Request withPath(String newPath) {
        return new Request(method, newPath, query, headers, body);
    }

    /** A copy with another raw query string ({@code null} for none). */
    public Request withQuery(String newQuery) {
        return new Request(method, path, newQuery, headers, body);
    }

    /** A copy with other headers. */
    public Request withHeaders(Headers newHeaders) {
        return new Request(method, path, query, newHeaders, body);
    }

    /** A copy with this header set to one value. */
    public Request withHeader(String name, String value) {
        return withHeaders(headers.with(name, value));
    }

    /** A copy with another body. Set or remove {@code Content-Length} to match when you know it. */
    public Request withBody(Body newBody) {
        return new Request(method, path, query, headers, newBody);
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        return headers.first(name);
    }
}
