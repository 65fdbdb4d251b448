package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.portico.api.HttpCalls;
import io.portico.api.Request;
import io.portico.api.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keys from a JWKS URL, fetched through the gateway's connection pools. Loaded at the first token
 * (never while a configuration loads: validating a file must not call out); loaded again when they are older than the refresh interval (in the background: requests
 * go on with the keys in hand), and when a token names an unknown key id, at most once per minimum
 * interval. A failed load keeps the keys already loaded: an outage of the key server does not stop
 * tokens signed with known keys.
 */
final class JwksKeys implements KeySource {
    /** How often a source that never loaded tries again, when tokens keep coming. */
    private static final long NEVER_LOADED_RETRY_MILLIS = 1000;

    private final URI target;
    private final Request request;
    private final HttpCalls http;
    private final Clock clock;
    private final System.Logger log;
    private final long refreshMillis;
    private final long minimumIntervalMillis;
    private final Duration timeout;
    private final AtomicReference<CompletableFuture<KeySet>> loading = new AtomicReference<>();
    private volatile KeySet keys = KeySet.EMPTY;
    private volatile boolean loaded;
    private volatile long loadedAt;
    private volatile long lastAttempt = Long.MIN_VALUE / 2;

    JwksKeys(URI url, HttpCalls http, Clock clock, System.Logger log, Duration refresh, Duration minimumInterval,
             Duration timeout) {
        this.target = URI.create(url.getScheme() + "://" + url.getRawAuthority());
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.request = Request.of("GET", path).withQuery(url.getRawQuery()).withHeader("Accept",
                "application/jwk-set+json, application/json");
        this.http = http;
        this.clock = clock;
        this.log = log;
        this.refreshMillis = refresh.toMillis();
        this.minimumIntervalMillis = minimumInterval.toMillis();
        this.timeout = timeout;
    }

    @Override
    public KeySet current() {
        if (clock.millis() - loadedAt > refreshMillis && clock.millis() - lastAttempt > minimumIntervalMillis) {
            load();
        }
        return keys;
    }

    @Override
    public boolean unavailable() {
        return !loaded;
    }

    @Override
    public CompletableFuture<KeySet> reloadFor(String kid) {
        long wait = loaded ? minimumIntervalMillis : NEVER_LOADED_RETRY_MILLIS;
        if (clock.millis() - lastAttempt < wait) {
            CompletableFuture<KeySet> running = loading.get();
            return running != null ? running : CompletableFuture.completedFuture(keys);
        }
        return load();
    }

    /** Starts a load unless one runs; completes with the keys in hand either way. */
    private CompletableFuture<KeySet> load() {
        CompletableFuture<KeySet> mine = new CompletableFuture<>();
        CompletableFuture<KeySet> running = loading.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        lastAttempt = clock.millis();
        CompletableFuture<Response> answer;
        try {
            answer = http.send(target, request, timeout);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.handle((response, failure) -> {
            try {
                if (failure != null) {
                    throw failure;
                }
                if (response.status() != 200) {
                    throw new IllegalStateException("answered " + response.status());
                }
                keys = parse(new String(response.body().bytes(), StandardCharsets.UTF_8));
                loaded = true;
                loadedAt = clock.millis();
            } catch (Throwable e) {
                log.log(System.Logger.Level.WARNING, "JWKS " + target + request.path() + " could not be loaded ("
                        + e + "); " + (loaded ? "the keys loaded before stay in use" : "no keys yet"));
            }
            loading.set(null);
            mine.complete(keys);
            return null;
        });
        return mine;
    }

    private static KeySet parse(String json) throws Exception {
        List<VerificationKey> verification = new ArrayList<>();
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
            VerificationKey key = VerificationKey.of(jwk.toPublicJWK() == null ? jwk : jwk.toPublicJWK());
            if (key != null) {
                verification.add(key);
            }
        }
        return new KeySet(verification);
    }
}
