package io.portico.plugins.cache;

import io.portico.api.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One cached response (one variant of a resource) and the facts needed to judge its freshness.
 *
 * @param status         the stored status
 * @param headers        the headers to answer with (without {@code Age}, {@code X-Cache}, and
 *                       {@code Set-Cookie} when stripped)
 * @param body           the whole body
 * @param varyValues     the request's values of the headers named by {@code Vary}, in
 *                       {@link Variants#names()} order
 * @param receivedAt     when the response (or the 304 that refreshed it) arrived, by the plugin's clock
 * @param initialAge     the {@code Age} the upstream gave, in seconds
 * @param freshFor       the freshness lifetime, in seconds; 0 for {@code no-cache}
 * @param staleWhileRevalidate seconds after expiry during which it may be served while one request revalidates
 * @param staleIfError   seconds after expiry during which it may be served when the upstream fails
 * @param etag           the {@code ETag}, or {@code null}
 * @param lastModified   the {@code Last-Modified} as sent, or {@code null}
 * @param keepExpired    seconds an expired response with a validator is kept to revalidate
 */
record StoredResponse(int status, Headers headers, byte[] body, List<String> varyValues, Instant receivedAt,
                      long initialAge, long freshFor, long staleWhileRevalidate, long staleIfError, String etag,
                      String lastModified, long keepExpired) {

    /** This response holding {@code newBody}. */
    StoredResponse withBody(byte[] newBody) {
        return new StoredResponse(status, headers, newBody, varyValues, receivedAt, initialAge, freshFor,
                staleWhileRevalidate, staleIfError, etag, lastModified, keepExpired);
    }

    /** The current age in whole seconds (RFC 9111 section 4.2.3, without a {@code Date} to correct by). */
    long ageSeconds(Instant now) {
        long resident = Math.max(0, Duration.between(receivedAt, now).toMillis()) / 1000;
        return initialAge + resident;
    }

    boolean isFresh(Instant now) {
        return ageSeconds(now) < freshFor;
    }

    /** Whether it is stale by no more than {@code window} seconds. */
    boolean staleWithin(Instant now, long window) {
        return window > 0 && ageSeconds(now) < freshFor + window;
    }

    boolean hasValidator() {
        return etag != null || lastModified != null;
    }

    /** Until when keeping it is worth anything: serving fresh or stale, or revalidating. */
    Instant keepUntil() {
        long afterExpiry = Math.max(Math.max(staleWhileRevalidate, staleIfError), hasValidator() ? keepExpired : 0);
        return receivedAt.plusSeconds(Math.max(0, freshFor - initialAge) + afterExpiry);
    }

    /** An estimate of the memory it holds, for the store's byte bound. */
    long weight() {
        long weight = 128L + body.length;
        for (int i = 0; i < headers.size(); i++) {
            weight += 2L * (headers.name(i).length() + headers.value(i).length()) + 32;
        }
        for (String value : varyValues) {
            weight += 2L * value.length() + 16;
        }
        return weight;
    }
}
