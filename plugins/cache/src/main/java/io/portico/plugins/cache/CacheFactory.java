package io.portico.plugins.cache;

import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code cache}: an in-memory HTTP response cache for GET and HEAD, bounded in bytes, that honours
 * {@code Cache-Control}, {@code Expires}, {@code Vary} and validators, coalesces concurrent misses
 * and can serve stale answers while revalidating or when the upstream fails. With a
 * {@code purge:} section the same filter also removes entries on {@code PURGE} requests.
 *
 * <p>Stores are named ({@code store:}) and held by this factory, so routes naming the same store
 * share entries, and entries survive a configuration reload for as long as the plugin is loaded.
 */
@Extension
public final class CacheFactory implements FilterFactory<CacheFactory.Config> {
    private final Stores stores = new Stores();

    /**
     * @param store                  the name of the shared store; default {@code default}
     * @param maxSize                the store's bound in bytes (bodies and headers); default {@code 64MB}
     * @param maxEntrySize           the largest body stored; larger ones stream through; default {@code 1MB}
     * @param statuses               the statuses stored; default {@code [200]}
     * @param defaultTtl             freshness of a response that states none; {@code 0s} (default) stores none
     * @param keepExpired            how long an expired entry with a validator is kept to revalidate; default {@code 10m}
     * @param staleWhileRevalidate   used when a response does not state its own; default {@code 0s}
     * @param staleIfError           used when a response does not state its own; default {@code 0s}
     * @param perConsumer            whether the authenticated consumer is part of the key; default false
     * @param cacheAuthenticated     whether requests with {@code Authorization} or a consumer are cached; default false
     * @param stripSetCookie         store a response with {@code Set-Cookie} without it (the first client still
     *                               gets it); default false: such responses are not stored
     * @param coalesceTimeout        how long a miss waits for a concurrent fetch of the same key; default {@code 10s}
     * @param purge                  when set, {@code PURGE} requests on this route remove entries
     */
    public record Config(String store, DataSize maxSize, DataSize maxEntrySize, List<Integer> statuses,
                         Duration defaultTtl, Duration keepExpired, Duration staleWhileRevalidate,
                         Duration staleIfError, boolean perConsumer, boolean cacheAuthenticated,
                         boolean stripSetCookie, Duration coalesceTimeout, Purge purge) {
        public Config {
            store = store == null ? "default" : store;
            InvalidConfigException.require(!store.isBlank(), "store", "must not be blank");
            maxSize = maxSize == null ? DataSize.ofMegabytes(64) : maxSize;
            InvalidConfigException.require(maxSize.bytes() > 0, "maxSize", "must be more than 0");
            maxEntrySize = maxEntrySize == null ? DataSize.ofMegabytes(1) : maxEntrySize;
            InvalidConfigException.require(maxEntrySize.bytes() < Integer.MAX_VALUE - 16, "maxEntrySize",
                    "must be less than 2GB");
            InvalidConfigException.require(maxEntrySize.bytes() <= maxSize.bytes(), "maxEntrySize",
                    "must not be more than max-size (" + maxSize + ")");
            statuses = statuses == null ? List.of(200) : List.copyOf(statuses);
            for (int status : statuses) {
                InvalidConfigException.require(status >= 200 && status <= 599 && status != 206 && status != 304,
                        "statuses", status + " cannot be stored: use final statuses 200-599 other than 206 and 304");
            }
            defaultTtl = nonNegative(defaultTtl, Duration.ZERO, "defaultTtl");
            keepExpired = nonNegative(keepExpired, Duration.ofMinutes(10), "keepExpired");
            staleWhileRevalidate = nonNegative(staleWhileRevalidate, Duration.ZERO, "staleWhileRevalidate");
            staleIfError = nonNegative(staleIfError, Duration.ZERO, "staleIfError");
            coalesceTimeout = nonNegative(coalesceTimeout, Duration.ofSeconds(10), "coalesceTimeout");
        }

        private static Duration nonNegative(Duration value, Duration fallback, String field) {
            Duration result = value == null ? fallback : value;
            InvalidConfigException.require(!result.isNegative(), field, "must not be negative");
            return result;
        }
    }

    /**
     * Who may purge. At least one of the two must be set; either one admits.
     *
     * @param methods          the methods that purge; default {@code [PURGE]}
     * @param allowedConsumers ids of consumers (set by an authentication filter) allowed to purge
     * @param tokenSha256      hex SHA-256 of a bearer token ({@code Authorization: Bearer <token>}) that may purge
     */
    public record Purge(Set<String> methods, Set<String> allowedConsumers, String tokenSha256) {
        public Purge {
            methods = methods == null ? Set.of("PURGE")
                    : Set.copyOf(methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
            InvalidConfigException.require(!methods.contains("GET") && !methods.contains("HEAD"), "methods",
                    "GET and HEAD are what the cache answers; purge with another method");
            allowedConsumers = allowedConsumers == null ? Set.of() : Set.copyOf(allowedConsumers);
            if (tokenSha256 != null) {
                tokenSha256 = tokenSha256.strip().toLowerCase(Locale.ROOT);
                InvalidConfigException.require(tokenSha256.length() == 64 && isHex(tokenSha256), "tokenSha256",
                        "must be 64 hex digits: the SHA-256 of the token (sha256sum)");
            }
            InvalidConfigException.require(!allowedConsumers.isEmpty() || tokenSha256 != null, "allowedConsumers",
                    "purging must be protected: set allowed-consumers, token-sha256 or both");
        }

        private static boolean isHex(String text) {
            try {
                HexFormat.of().parseHex(text);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.CACHE;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        CacheStore store = stores.named(config.store(), config.maxSize().bytes(), context);
        CachePolicy policy = new CachePolicy(config);
        Purger purger = config.purge() == null ? null : new Purger(config.purge(), store);
        return new NonBlockingCacheFilter(new CacheFilter(store, policy, purger, context.clock(), config.coalesceTimeout()));
    }
}
