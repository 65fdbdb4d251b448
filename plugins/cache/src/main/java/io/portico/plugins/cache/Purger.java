package io.portico.plugins.cache;

import io.portico.api.Exchange;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Answers purge requests: removes the resource the request names (every variant, every consumer),
 * or, with {@code X-Purge-Prefix: true}, every resource of the same host whose path starts with the
 * request's path. Only an allowed consumer or the holder of the configured bearer token may purge.
 */
final class Purger {
    private final Set<String> methods;
    private final Set<String> allowedConsumers;
    private final byte[] tokenSha256;
    private final CacheStore store;

    Purger(CacheFactory.Purge config, CacheStore store) {
        this.methods = config.methods();
        this.allowedConsumers = config.allowedConsumers();
        this.tokenSha256 = config.tokenSha256() == null ? null : HexFormat.of().parseHex(config.tokenSha256());
        this.store = store;
    }

    boolean handles(String method) {
        return methods.contains(method);
    }

    Response purge(Exchange exchange, CachePolicy policy) {
        authorize(exchange);
        Request request = exchange.request();
        PrimaryKey named = policy.key(exchange);
        boolean prefix = "true".equalsIgnoreCase(request.header("X-Purge-Prefix"));
        int purged = prefix
                ? store.purge(key -> key.under(named.host(), named.path()))
                : store.purge(key -> key.host().equals(named.host()) && key.path().equals(named.path())
                        && key.query().equals(named.query()));
        return Response.of(200, "application/json", "{\"purged\":" + purged + "}");
    }

    private void authorize(Exchange exchange) {
        boolean presented = false;
        if (!allowedConsumers.isEmpty() && exchange.consumer().isPresent()) {
            presented = true;
            if (allowedConsumers.contains(exchange.consumer().get().id())) {
                return;
            }
        }
        String authorization = exchange.request().header("Authorization");
        if (tokenSha256 != null && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = true;
            byte[] hash = sha256(authorization.substring(7).strip());
            if (MessageDigest.isEqual(hash, tokenSha256)) {
                return;
            }
        }
        if (!presented && tokenSha256 != null) {
            throw new ProblemException(401, "PURGE_UNAUTHENTICATED", "Unauthorized",
                    "purging the cache needs a bearer token").withHeader("WWW-Authenticate", "Bearer realm=\"cache-purge\"");
        }
        if (!presented) {
            // no challenge of ours to name: the consumer comes from an authentication filter
            throw new ProblemException(403, "PURGE_FORBIDDEN", "Forbidden",
                    "purging the cache needs an authenticated consumer that is allowed to purge");
        }
        throw new ProblemException(403, "PURGE_FORBIDDEN", "Forbidden",
                "these credentials may not purge the cache");
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
