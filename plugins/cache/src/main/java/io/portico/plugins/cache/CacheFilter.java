package io.portico.plugins.cache;

import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.GatewayFilter;
import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cache on one route. A GET or HEAD is answered from the store when a fresh variant matches;
 * a HEAD that misses passes through; otherwise one GET per key goes upstream (revalidating with the stored validators when it
 * can) while concurrent ones wait for it, or get the stale entry within its
 * {@code stale-while-revalidate} window. Every answer says what happened in {@code X-Cache}.
 */
final class CacheFilter implements GatewayFilter {
    static final String X_CACHE = "X-Cache";
    static final String HIT = "HIT";
    static final String MISS = "MISS";
    static final String BYPASS = "BYPASS";
    static final String EXPIRED = "EXPIRED";
    static final String REVALIDATED = "REVALIDATED";
    static final String STALE = "STALE";
    private static final byte[] EMPTY = new byte[0];
    /** What is drained of an unused body before its connection is given up. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    private final CacheStore store;
    private final CachePolicy policy;
    private final Purger purger;
    private final Clock clock;
    private final long coalesceMillis;

    CacheFilter(CacheStore store, CachePolicy policy, Purger purger, Clock clock, Duration coalesceTimeout) {
        this.store = store;
        this.policy = policy;
        this.purger = purger;
        this.clock = clock;
        this.coalesceMillis = coalesceTimeout.toMillis();
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        Request request = exchange.request();
        String method = request.method();
        if (purger != null && purger.handles(method)) {
            return purger.purge(exchange, policy);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return unsafe(exchange, chain);
        }
        CacheControl requestControl = CacheControl.parse(request.headers().all("Cache-Control"));
        if (policy.bypassReason(exchange, requestControl) != null) {
            return mark(chain.proceed(exchange), BYPASS);
        }
        PrimaryKey key = policy.key(exchange);
        boolean revalidate = CachePolicy.wantsRevalidation(request, requestControl);
        Instant now = clock.instant();
        StoredResponse stored = find(key, request);
        if (stored != null && !revalidate && stored.isFresh(now)) {
            return answer(request, stored, HIT, now);
        }
        if (method.equals("HEAD")) {
            // filling the entry would mean pulling the whole body for a client that wants none of it
            return mark(chain.proceed(exchange), MISS);
        }
        CompletableFuture<Void> running = store.lead(key);
        if (running == null) {
            try {
                return fetch(exchange, chain, key, stored);
            } finally {
                store.finish(key);
            }
        }
        if (stored != null && !revalidate && stored.staleWithin(now, stored.staleWhileRevalidate())) {
            // another request is refreshing this key: this one need not wait for it
            return answer(request, stored, STALE, now);
        }
        awaitQuietly(running);
        now = clock.instant();
        StoredResponse filled = find(key, request);
        if (filled != null && filled != stored && filled.isFresh(now)) {
            return answer(request, filled, HIT, now);
        }
        // what the other request fetched is not for this one (not storable, another variant, or too slow)
        return fetch(exchange, chain, key, filled != null ? filled : stored);
    }

    /**
     * The answer when the request is a GET or HEAD that a fresh stored variant answers as it is,
     * without waiting for anything; {@code null} for every other case, which {@link #filter} decides.
     */
    Response freshHit(Exchange exchange) {
        Request request = exchange.request();
        String method = request.method();
        if ((purger != null && purger.handles(method)) || (!method.equals("GET") && !method.equals("HEAD"))) {
            return null;
        }
        CacheControl requestControl = CacheControl.parse(request.headers().all("Cache-Control"));
        if (policy.bypassReason(exchange, requestControl) != null || CachePolicy.wantsRevalidation(request, requestControl)) {
            return null;
        }
        Instant now = clock.instant();
        StoredResponse stored = find(policy.key(exchange), request);
        return stored != null && stored.isFresh(now) ? answer(request, stored, HIT, now) : null;
    }

    private StoredResponse find(PrimaryKey key, Request request) {
        Variants variants = store.get(key);
        return variants == null ? null : variants.match(request.headers());
    }

    private void awaitQuietly(CompletableFuture<Void> running) throws InterruptedException {
        try {
            running.get(coalesceMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // bounded wait: past it, this request goes upstream on its own
        }
    }

    /** Goes upstream for {@code key}, revalidating {@code stored} when it has validators, and stores what may be. */
    private Response fetch(Exchange exchange, FilterChain chain, PrimaryKey key, StoredResponse stored)
            throws Exception {
        Request request = exchange.request();
        Headers.Builder headers = request.headers().toBuilder().remove("If-None-Match").remove("If-Modified-Since");
        boolean validating = stored != null && stored.hasValidator();
        if (validating && stored.etag() != null) {
            headers.add("If-None-Match", stored.etag());
        }
        if (validating && stored.lastModified() != null) {
            headers.add("If-Modified-Since", stored.lastModified());
        }
        Request upstream = request.withHeaders(headers.build());
        Response response;
        try {
            response = chain.proceed(exchange.withRequest(upstream));
        } catch (Exception failure) {
            boolean serverSide = !(failure instanceof ProblemException problem) || problem.status() >= 500;
            if (serverSide && servableOnError(stored)) {
                return answer(request, stored, STALE, clock.instant());
            }
            throw failure;
        }
        Instant received = clock.instant();
        if (response.status() >= 500 && servableOnError(stored)) {
            discard(response);
            return answer(request, stored, STALE, received);
        }
        if (response.status() == 304 && validating) {
            discard(response);
            StoredResponse refreshed = policy.refreshed(stored, response.headers(), received);
            if (refreshed == null) {
                store.remove(key, stored);
                return answer(request, stored, REVALIDATED, received);
            }
            store.put(key, Variants.namesOf(refreshed.headers().all("Vary")), refreshed);
            return answer(request, refreshed, REVALIDATED, received);
        }
        String outcome = stored == null ? MISS : EXPIRED;
        List<String> varyNames = Variants.namesOf(response.headers().all("Vary"));
        StoredResponse candidate = policy.storable(response, request.headers(), varyNames, EMPTY, received);
        long length = response.body().length();
        if (candidate == null || length > policy.maxEntrySize()) {
            if (stored != null && candidate == null && response.status() < 500) {
                store.remove(key, stored);
            }
            return mark(response, outcome);
        }
        CapturedBody captured = CapturedBody.read(response.body(), policy.maxEntrySize());
        if (!captured.fits()) {
            return mark(response.withBody(captured.passOn()), outcome);
        }
        StoredResponse entry = candidate.withBody(captured.bytes());
        store.put(key, varyNames, entry);
        if (Conditional.notModified(request, entry)) {
            return notModified(entry, outcome, received);
        }
        // the client that caused the fetch gets the response as sent, Set-Cookie included
        return mark(response.withBody(Body.of(captured.bytes())), outcome);
    }

    private boolean servableOnError(StoredResponse stored) {
        return stored != null && stored.staleWithin(clock.instant(), stored.staleIfError());
    }

    /** Any other method passes; an unsafe one that succeeds invalidates what is stored for it (RFC 9111 4.4). */
    private Response unsafe(Exchange exchange, FilterChain chain) throws Exception {
        Response response = chain.proceed(exchange);
        String method = exchange.request().method();
        boolean safe = method.equals("OPTIONS") || method.equals("TRACE");
        if (!safe && response.status() < 400) {
            PrimaryKey named = policy.key(exchange);
            store.purge(key -> key.host().equals(named.host()) && key.path().equals(named.path())
                    && key.query().equals(named.query()));
        }
        return mark(response, BYPASS);
    }

    private Response answer(Request request, StoredResponse stored, String outcome, Instant now) {
        if (Conditional.notModified(request, stored)) {
            return notModified(stored, outcome, now);
        }
        Headers headers = stored.headers().toBuilder()
                .set("Age", Long.toString(stored.ageSeconds(now)))
                .set(X_CACHE, outcome)
                .build();
        return new Response(stored.status(), headers, Body.of(stored.body()));
    }

    private static Response notModified(StoredResponse stored, String outcome, Instant now) {
        Headers headers = Conditional.notModifiedHeaders(stored.headers()).toBuilder()
                .set("Age", Long.toString(stored.ageSeconds(now)))
                .set(X_CACHE, outcome)
                .build();
        return new Response(304, headers, Body.empty());
    }

    private static Response mark(Response response, String outcome) {
        return response.withHeader(X_CACHE, outcome);
    }

    /** Lets go of a body nobody will read: a short one is drained so its connection can be reused. */
    private static void discard(Response response) {
        try (InputStream in = response.body().stream()) {
            in.readNBytes(DRAIN_LIMIT);
        } catch (Exception e) {
            // the body is of no use; a failure to drain it only costs the connection
        }
    }
}
