package io.portico.plugins.cache;

import io.portico.api.Headers;
import io.portico.api.Request;
import java.time.Instant;

/** A client's conditional GET or HEAD judged against a stored response (RFC 9110 section 13). */
final class Conditional {
    private static final String[] KEPT_ON_304 = {"Cache-Control", "Content-Location", "ETag", "Expires", "Vary",
        "Last-Modified"};

    private Conditional() {
    }

    /** Whether the client already holds this response: {@code If-None-Match}, else {@code If-Modified-Since}. */
    static boolean notModified(Request request, StoredResponse stored) {
        if (stored.status() != 200) {
            return false;
        }
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            return stored.etag() != null && anyMatches(request.headers(), stored.etag());
        }
        Instant since = HttpDates.parse(request.header("If-Modified-Since"));
        Instant modified = HttpDates.parse(stored.lastModified());
        return since != null && modified != null && !modified.isAfter(since);
    }

    /** The headers a 304 from the cache carries: those of the stored response that describe it. */
    static Headers notModifiedHeaders(Headers stored) {
        Headers.Builder kept = Headers.builder();
        for (String name : KEPT_ON_304) {
            for (String value : stored.all(name)) {
                kept.add(name, value);
            }
        }
        return kept.build();
    }

    /** Weak comparison (RFC 9110 8.8.3.2): {@code W/} prefixes do not matter; {@code *} matches anything stored. */
    private static boolean anyMatches(Headers headers, String etag) {
        String stored = opaque(etag);
        for (String field : headers.all("If-None-Match")) {
            for (String candidate : field.split(",")) {
                String trimmed = candidate.strip();
                if (trimmed.equals("*") || opaque(trimmed).equals(stored)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        String trimmed = tag.strip();
        return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
    }
}
