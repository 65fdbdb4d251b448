package io.portico.plugins.jwt;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.portico.api.Body;
import io.portico.api.Consumer;
import io.portico.api.ConsumerDefinition;
import io.portico.api.HttpCalls;
import io.portico.api.PluginContext;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Asks the identity provider about tokens (RFC 7662) and remembers the active ones. Entries are
 * keyed by the token's SHA-256, never the token; an entry lives until the token's {@code exp} or
 * for the configured time, whichever is sooner. Concurrent requests with the same unknown token
 * share one call. Inactive tokens and failed calls are not remembered.
 */
final class Introspector {
    /** What the provider said about an active token. */
    record Active(Consumer consumer, long expiresAtMillis) {
    }

    private final HttpCalls http;
    private final URI target;
    private final String path;
    private final String authorization;
    private final Duration timeout;
    private final Clock clock;
    private final String consumerClaim;
    private final Map<String, ConsumerDefinition> consumers;
    private final long ttlMillis;
    private final AsyncCache<ByteBuffer, Active> active;
    private final MessageDigest prototype;

    Introspector(IntrospectionFactory.Config config, PluginContext context) {
        URI url = URI.create(config.introspectionUrl());
        this.http = context.http();
        this.target = URI.create(url.getScheme() + "://" + url.getRawAuthority());
        this.path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((form(config.clientId()) + ":"
                + form(config.clientSecret())).getBytes(StandardCharsets.UTF_8));
        this.timeout = config.timeout();
        this.clock = context.clock();
        this.consumerClaim = config.consumerClaim();
        this.consumers = context.consumers().stream().collect(Collectors.toUnmodifiableMap(ConsumerDefinition::id,
                Function.identity()));
        this.ttlMillis = config.cacheTtl().toMillis();
        this.active = Caffeine.newBuilder().maximumSize(config.cacheSize())
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(new Expiry<ByteBuffer, Active>() {
                    @Override
                    public long expireAfterCreate(ByteBuffer key, Active value, long currentTime) {
                        return Math.max(0, value.expiresAtMillis() - clock.millis()) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(ByteBuffer key, Active value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(ByteBuffer key, Active value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).buildAsync();
        try {
            this.prototype = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The token's consumer, or {@code null} when the provider says it is not active. */
    CompletableFuture<Active> introspect(String token) {
        if (ttlMillis <= 0) {
            return ask(token);
        }
        return active.get(digest(token), (key, executor) -> ask(token));
    }

    private CompletableFuture<Active> ask(String token) {
        Request request = Request.of("POST", path)
                .withHeader("Authorization", authorization)
                .withHeader("Content-Type", "application/x-www-form-urlencoded")
                .withHeader("Accept", "application/json")
                .withBody(Body.of("token=" + form(token) + "&token_type_hint=access_token"));
        CompletableFuture<Response> call;
        try {
            call = http.send(target, request, timeout);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((response, failure) -> {
            if (failure != null) {
                throw unavailable("the identity provider cannot be reached");
            }
            if (response.status() != 200) {
                throw unavailable("the identity provider answered " + response.status());
            }
            Map<String, Object> answer;
            try {
                answer = JSONObjectUtils.parse(new String(response.body().bytes(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw unavailable("the identity provider's answer is not a JSON object");
            }
            return active(answer);
        });
    }

    private Active active(Map<String, Object> answer) {
        if (!Boolean.TRUE.equals(answer.get("active"))) {
            return null;
        }
        Object id = answer.get(consumerClaim);
        if (!(id instanceof String) && "sub".equals(consumerClaim)) {
            id = answer.get("client_id");
        }
        if (!(id instanceof String consumerId) || consumerId.isEmpty()) {
            return null;
        }
        Map<String, String> claims = new HashMap<>();
        answer.forEach((name, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                claims.put(name, value instanceof Double number && number == Math.rint(number)
                        ? Long.toString(number.longValue()) : value.toString());
            } else if (value instanceof Collection<?> list) {
                claims.put(name, list.stream().map(String::valueOf).collect(Collectors.joining(" ")));
            }
        });
        ConsumerDefinition declared = consumers.get(consumerId);
        Set<String> groups = declared == null ? Set.of() : declared.groups();
        long expires = clock.millis() + ttlMillis;
        if (answer.get("exp") instanceof Number exp) {
            expires = Math.min(expires, exp.longValue() * 1000);
        }
        return new Active(new Consumer(consumerId, groups, claims), expires);
    }

    private ByteBuffer digest(String token) {
        try {
            MessageDigest digest = (MessageDigest) prototype.clone();
            return ByteBuffer.wrap(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned", e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(503, "INTROSPECTION_UNAVAILABLE", "Service Unavailable",
                detail + "; the token cannot be checked right now");
    }
}
