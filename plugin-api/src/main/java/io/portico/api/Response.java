package io.portico.api;

import java.util.Objects;

/**
 * An HTTP response on its way back to the client. Immutable; each {@code withX} returns a copy.
 *
 * @param status  the status code, 100 to 599
 * @param headers the header fields
 * @param body    the content, streaming from the upstream unless a filter replaced it
 */
public record Response(int status, Headers headers, Body body) {

    /** Validates the parts. */
    public Response {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** A response with this status, no headers and no body. */
    public static Response of(int status) {
        return new Response(status, Headers.empty(), Body.empty());
    }

    /** A response with this status, a {@code Content-Type} and a text body. */
    public static Response of(int status, String contentType, String text) {
        return new Response(status, Headers.of("Content-Type", contentType), Body.of(text));
    }

    /** A copy with another status. */
    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body);
    }

    /** A copy with other headers. */
    public Response withHeaders(Headers newHeaders) {
        return new Response(status, newHeaders, body);
    }

    /** A copy with this header set to one value. */
    public Response withHeader(String name, String value) {
        return withHeaders(headers.with(name, value));
    }

    /** A copy with another body. */
    public Response withBody(Body newBody) {
        return new Response(status, headers, newBody);
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        return headers.first(name);
    }
}
