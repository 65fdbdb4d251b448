package io.portico.plugins.ratelimit;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.Sockets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * {@code rate-limit}: counts requests by a key (consumer, client IP, route, a header, a claim, or a
 * combination) against one or more windows, in memory ({@code local}) or cluster-wide in Redis
 * ({@code redis}), and answers 429 with {@code Retry-After} past the limit, or delays the request
 * up to {@code max-delay} in {@code throttle} mode. See {@code docs/plugins/rate-limit.md}.
 *
 * <p>Counters belong to a counter space named by {@code namespace}, the algorithm and the limits:
 * every place configured alike shares them, and they survive a configuration reload. The spaces and
 * Redis connections live as long as this factory, which is as long as the plugin jar is loaded:
 * one per Redis settings and gateway.
 */
@Extension
public final class RateLimitFactory implements FilterFactory<RateLimitConfig> {
    private final Map<String, LocalStore> localSpaces = new ConcurrentHashMap<>();
    // by settings and gateway: a connection on the event loop of a gateway that stopped (another
    // gateway in this process, as in tests, loaded the same jar) must not serve the next one
    private final Map<RedisKey, RedisConnection> redisConnections = new ConcurrentHashMap<>();
    private final Map<RedisSettings, RedisConnection> latestRedisConnections = new ConcurrentHashMap<>();

    private record RedisKey(RedisSettings settings, Sockets sockets) {
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public Class<RateLimitConfig> configType() {
        return RateLimitConfig.class;
    }

    @Override
    public Phase phase() {
        return Phase.TRAFFIC;
    }

    @Override
    public GatewayFilter create(RateLimitConfig config, PluginContext context) {
        CounterSpace space = CounterSpace.of(config);
        LimitStore store = switch (config.policy()) {
            case LOCAL -> localSpaces.computeIfAbsent(space.id() + "/" + config.local().maxKeys(),
                    id -> new LocalStore(space, config.local().maxKeys(), context.clock()));
            case REDIS -> new RedisStore(space, redisConnection(config.redis(), context));
        };
        RateLimitFilter filter = new RateLimitFilter(config, space, store, context);
        return filter.neverWaits() ? new NonBlockingRateLimitFilter(filter) : filter;
    }

    private RedisConnection redisConnection(RedisSettings settings, PluginContext context) {
        Sockets sockets = sockets(context);
        RedisConnection connection = redisConnections.computeIfAbsent(new RedisKey(settings, sockets),
                key -> new RedisConnection(settings, context.clock(), sockets));
        latestRedisConnections.put(settings, connection);
        return connection;
    }

    /** The Redis connection a filter made last for these settings: for tests. */
    RedisConnection connection(RedisSettings settings) {
        return latestRedisConnections.get(settings);
    }

    /** The settings of the only Redis connection made so far: for tests. */
    RedisSettings connectionSettings() {
        if (latestRedisConnections.size() != 1) {
            throw new IllegalStateException("expected one Redis connection, found " + latestRedisConnections.keySet());
        }
        return latestRedisConnections.keySet().iterator().next();
    }

    private static Sockets sockets(PluginContext context) {
        try {
            return context.sockets();
        } catch (UnsupportedOperationException outsideAGateway) {
            return null;
        }
    }
}
