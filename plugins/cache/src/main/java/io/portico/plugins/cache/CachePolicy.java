package io.portico.plugins.cache;

import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.Request;
import io.portico.api.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one cache filter's configuration says about a request and a response: the key, whether the
 * request may use the cache, whether a response may be stored and for how long. Pure decisions;
 * the store and the upstream call are elsewhere.
 */
final class CachePolicy {
    private final boolean[] statuses = new boolean[600];
    private final long defaultTtl;
    private final long keepExpired;
    private final long staleWhileRevalidate;
    private final long staleIfError;
    private final boolean perConsumer;
    private final boolean cacheAuthenticated;
    private final boolean stripSetCookie;
    private final long maxEntrySize;

    CachePolicy(CacheFactory.Config config) {
        for (int status : config.statuses()) {
            statuses[status] = true;
        }
        this.defaultTtl = config.defaultTtl().toSeconds();
        this.keepExpired = config.keepExpired().toSeconds();
        this.staleWhileRevalidate = config.staleWhileRevalidate().toSeconds();
        this.staleIfError = config.staleIfError().toSeconds();
        this.perConsumer = config.perConsumer();
        this.cacheAuthenticated = config.cacheAuthenticated();
        this.stripSetCookie = config.stripSetCookie();
        this.maxEntrySize = config.maxEntrySize().bytes();
    }

    long maxEntrySize() {
        return maxEntrySize;
    }

    /** The key of the resource the request names. */
    PrimaryKey key(Exchange exchange) {
        Request request = exchange.request();
        String host = request.header("Host");
        String consumer = perConsumer ? exchange.consumer().map(c -> c.id()).orElse("") : "";
        return new PrimaryKey(host == null ? "" : host.toLowerCase(Locale.ROOT), request.path(),
                PrimaryKey.sortedQuery(request.query()), consumer);
    }

    /** Why this GET or HEAD must not use the cache at all, or {@code null} when it may. */
    String bypassReason(Exchange exchange, CacheControl requestControl) {
        if (requestControl.noStore()) {
            return "the request says no-store";
        }
        if (!cacheAuthenticated && (exchange.request().headers().contains("Authorization") || exchange.consumer().isPresent())) {
            return "the request is authenticated";
        }
        return null;
    }

    /** Whether the request asks that nothing stored be used without asking the upstream. */
    static boolean wantsRevalidation(Request request, CacheControl requestControl) {
        if (requestControl.noCache() || requestControl.maxAge() == 0) {
            return true;
        }
        // HTTP/1.0's Pragma counts only when there is no Cache-Control (RFC 9111 5.4)
        String pragma = request.header("Pragma");
        return requestControl == CacheControl.NONE && pragma != null && pragma.toLowerCase(Locale.ROOT).contains("no-cache");
    }

    /**
     * The response as it would be stored, or {@code null} when it must not be. The body is not
     * read here: {@code body} is what was read, and is checked against the entry bound by the caller.
     */
    StoredResponse storable(Response response, Headers requestHeaders, List<String> varyNames, byte[] body,
                            Instant now) {
        if (!statuses[response.status()]) {
            return null;
        }
        Headers headers = response.headers();
        if (headers.contains("Set-Cookie") && !stripSetCookie) {
            return null;
        }
        CacheControl control = CacheControl.parse(headers.all("Cache-Control"));
        if (control.noStore() || control.isPrivate() || varyNames.contains("*")) {
            return null;
        }
        return build(response.status(), storedHeaders(headers), body, Variants.valuesOf(varyNames, requestHeaders),
                control, now);
    }

    /**
     * The stored response refreshed by a {@code 304 Not Modified}: its header fields replace the
     * stored ones of the same name (RFC 9111 section 4.3.4), and its freshness starts again. {@code null}
     * when the new headers forbid storing.
     */
    StoredResponse refreshed(StoredResponse stored, Headers notModified, Instant now) {
        Headers.Builder merged = stored.headers().toBuilder();
        Headers update = storedHeaders(notModified);
        for (String name : update.names()) {
            if (name.equalsIgnoreCase("Content-Length")) {
                // a 304 describes the stored body; its own length (if any) is of the empty 304
                continue;
            }
            merged.remove(name);
            for (String value : update.all(name)) {
                merged.add(name, value);
            }
        }
        Headers headers = merged.build();
        CacheControl control = CacheControl.parse(headers.all("Cache-Control"));
        if (control.noStore() || control.isPrivate()) {
            return null;
        }
        return build(stored.status(), headers, stored.body(), stored.varyValues(), control, now);
    }

    private StoredResponse build(int status, Headers headers, byte[] body, List<String> varyValues,
                                 CacheControl control, Instant now) {
        long freshFor;
        if (control.noCache()) {
            // stored only to be revalidated (or served on error): its freshness never matters
            freshFor = 0;
        } else if (control.sharedMaxAge() >= 0) {
            freshFor = control.sharedMaxAge();
        } else if (control.maxAge() >= 0) {
            freshFor = control.maxAge();
        } else if (headers.contains("Expires")) {
            // the core drops the upstream's Date, so Expires counts from when the response arrived
            Instant expires = HttpDates.parse(headers.first("Expires"));
            freshFor = expires == null ? 0 : Math.max(0, Duration.between(now, expires).toSeconds());
        } else if (defaultTtl > 0) {
            freshFor = defaultTtl;
        } else {
            return null;
        }
        long whileRevalidating = control.mustRevalidate() ? 0
                : control.staleWhileRevalidate() >= 0 ? control.staleWhileRevalidate() : staleWhileRevalidate;
        long ifError = control.mustRevalidate() ? 0
                : control.staleIfError() >= 0 ? control.staleIfError() : staleIfError;
        String etag = headers.first("ETag");
        String lastModified = headers.first("Last-Modified");
        if (freshFor == 0 && whileRevalidating == 0 && ifError == 0 && etag == null && lastModified == null) {
            return null;
        }
        long initialAge = age(headers.first("Age"));
        return new StoredResponse(status, headers.without("Age"), body, varyValues, now, initialAge, freshFor,
                whileRevalidating, ifError, etag, lastModified, keepExpired);
    }

    /** The headers worth storing: not {@code Age} or {@code X-Cache} of an upstream cache, not cookies. */
    private static Headers storedHeaders(Headers headers) {
        return headers.without("X-Cache").without("Set-Cookie");
    }

    private static long age(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(Long.parseLong(value.strip()), Integer.MAX_VALUE));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
