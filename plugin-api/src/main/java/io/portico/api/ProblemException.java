package io.portico.api;

import java.util.Objects;

/**
 * Thrown by a filter (or by the gateway) to answer the request with an RFC 9457 problem response
 * instead of going on. The gateway adds the request id and writes {@code application/problem+json}.
 *
 * <p>The {@code key} is a stable, machine-readable name for the failure ({@code API_KEY_MISSING});
 * it becomes the problem's {@code type} as {@code urn:portico:problem:api-key-missing} and its
 * {@code code} member, so clients can branch on it while titles change.
 */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String key;
    private final String title;
    private final Headers headers;

    /**
     * @param status the HTTP status, 400 to 599
     * @param key    a stable upper-case name for the failure, such as {@code RATE_LIMITED}
     * @param title  a short human summary, the same for every occurrence of this key
     * @param detail what went wrong this time; sent to the client, so never a secret
     */
    public ProblemException(int status, String key, String title, String detail) {
        this(status, key, title, detail, Headers.empty(), null);
    }

    private ProblemException(int status, String key, String title, String detail, Headers headers,
                             Throwable cause) {
        super(detail, cause, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status must be 4xx or 5xx, not " + status);
        }
        this.status = status;
        this.key = Objects.requireNonNull(key, "key");
        this.title = Objects.requireNonNull(title, "title");
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** A copy that also sends this header, such as {@code WWW-Authenticate} or {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        return new ProblemException(status, key, title, getMessage(), headers.withAdded(name, value), getCause());
    }

    /** A copy that records the cause for the log; the cause is never sent to the client. */
    public ProblemException withCause(Throwable cause) {
        return new ProblemException(status, key, title, getMessage(), headers, cause);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The stable key, such as {@code NO_ROUTE}. */
    public String key() {
        return key;
    }

    /** The short summary. */
    public String title() {
        return title;
    }

    /** What went wrong this time. */
    public String detail() {
        return getMessage();
    }

    /** Extra headers to send with the problem response. */
    public Headers headers() {
        return headers;
    }
}
