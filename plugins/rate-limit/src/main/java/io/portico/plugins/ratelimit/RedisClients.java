package io.portico.plugins.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Makes the Jedis client the settings describe: one node from the url, a Sentinel-managed primary,
 * or a cluster, each through Jedis' own support. Every wait (connect, read, pool) is the
 * configured timeout, so a slow Redis costs at most that per call.
 */
final class RedisClients {
    private static final String CLIENT_NAME = "portico-rate-limit";
    private RedisClients() {
    }

    static UnifiedJedis create(RedisSettings settings) {
        int timeout = (int) settings.timeout().toMillis();
        JedisClientConfig config = clientConfig(settings);
        ConnectionPoolConfig pool = pool(settings);
        if (settings.sentinel() != null) {
            DefaultJedisClientConfig.Builder sentinelClient = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout);
            if (settings.sentinel().password() != null) {
                sentinelClient.password(settings.sentinel().password());
            }
            return RedisSentinelClient.builder()
                    .masterName(settings.sentinel().master())
                    .sentinels(nodes(settings.sentinel().nodes()))
                    .sentinelClientConfig(sentinelClient.build())
                    .clientConfig(config)
                    .poolConfig(pool)
                    .build();
        }
        if (settings.cluster() != null) {
            return RedisClusterClient.builder()
                    .nodes(nodes(settings.cluster().nodes()))
                    .clientConfig(config)
                    .poolConfig(pool)
                    // one redirect may follow a slot move; more would stack timeouts on one request
                    .maxAttempts(2)
                    .maxTotalRetriesDuration(settings.timeout().multipliedBy(2))
                    .build();
        }
        return RedisClient.builder()
                .hostAndPort(node(settings))
                .clientConfig(config)
                .poolConfig(pool)
                .build();
    }

    /** The url's node: the one Redis when neither Sentinel nor a cluster is configured. */
    static HostAndPort node(RedisSettings settings) {
        return JedisURIHelper.getHostAndPort(URI.create(settings.url()));
    }

    /** Whether the url asks for TLS ({@code rediss://}). */
    static boolean tls(RedisSettings settings) {
        return JedisURIHelper.isRedisSSLScheme(URI.create(settings.url()));
    }

    /**
     * What a connection of our own sends first, as Jedis' connections do: AUTH with the url's user
     * and password and SELECT of its database, which must succeed, and the client name Redis'
     * CLIENT LIST shows, which an ACL may refuse without harm.
     */
    static java.util.List<EventLoopScripts.Setup> setupCommands(RedisSettings settings) {
        URI url = URI.create(settings.url());
        java.util.List<EventLoopScripts.Setup> commands = new java.util.ArrayList<>();
        String password = JedisURIHelper.getPassword(url);
        if (password != null) {
            String user = JedisURIHelper.getUser(url);
            commands.add(new EventLoopScripts.Setup(Resp.command("AUTH", user == null || user.isEmpty()
                    ? java.util.List.of(password) : java.util.List.of(user, password)), true));
        }
        if (JedisURIHelper.hasDbIndex(url)) {
            commands.add(new EventLoopScripts.Setup(
                    Resp.command("SELECT", java.util.List.of(Integer.toString(JedisURIHelper.getDBIndex(url)))), true));
        }
        commands.add(new EventLoopScripts.Setup(Resp.command("CLIENT", java.util.List.of("SETNAME", CLIENT_NAME)), false));
        return commands;
    }

    /** How every connection is made: time-outs, TLS, user, password and database from the url. */
    static JedisClientConfig clientConfig(RedisSettings settings) {
        URI url = URI.create(settings.url());
        int timeout = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .clientName(CLIENT_NAME);
        if (JedisURIHelper.isRedisSSLScheme(url)) {
            // the JDK's trust store, and the certificate must name the host
            client.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        if (JedisURIHelper.getPassword(url) != null) {
            String user = JedisURIHelper.getUser(url);
            client.user(user == null || user.isEmpty() ? null : user).password(JedisURIHelper.getPassword(url));
        }
        if (JedisURIHelper.hasDbIndex(url)) {
            client.database(JedisURIHelper.getDBIndex(url));
        }
        return client.build();
    }

    private static ConnectionPoolConfig pool(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(settings.timeout());
        pool.setTestOnBorrow(false);
        // idle connections close, so a pool a reload left behind holds no sockets for long
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        pool.setMinEvictableIdleDuration(Duration.ofMinutes(1));
        return pool;
    }

    private static Set<HostAndPort> nodes(java.util.List<String> nodes) {
        return nodes.stream().map(HostAndPort::from).collect(Collectors.toSet());
    }
}
