package io.portico.plugins.ratelimit;

import io.portico.api.InvalidConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where the {@code redis} policy keeps its counters, and how long it waits.
 *
 * @param url       {@code redis://[user:password@]host:port[/database]}, or {@code rediss://} for
 *                  TLS; default {@code redis://127.0.0.1:6379}. With {@code sentinel} or
 *                  {@code cluster} only its user, password, database and scheme are used
 * @param timeout   connect, read and pool wait timeout of one call; default 50ms
 * @param poolSize  the most connections per gateway to a Sentinel-managed primary or a cluster;
 *                  default 32 (one node is reached on one connection)
 * @param keyPrefix what every key starts with; default {@code portico:rate-limit}
 * @param circuit   when to stop calling Redis after failures
 * @param sentinel  a Sentinel-managed primary, instead of the url's host
 * @param cluster   a Redis Cluster, instead of the url's host
 */
public record RedisSettings(String url, Duration timeout, Integer poolSize, String keyPrefix, Circuit circuit,
                            Sentinel sentinel, Cluster cluster) {

    /** Applies defaults and checks the url. */
    public RedisSettings {
        url = url == null ? "redis://127.0.0.1:6379" : url;
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("url", "is not a URL: " + e.getMessage());
        }
        InvalidConfigException.require("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme()),
                "url", "must start with redis:// or rediss://");
        InvalidConfigException.require(parsed.getHost() != null, "url", "must name a host, such as redis://127.0.0.1:6379");
        timeout = timeout == null ? Duration.ofMillis(50) : timeout;
        InvalidConfigException.require(timeout.toMillis() >= 1 && timeout.toMillis() <= Integer.MAX_VALUE, "timeout",
                "must be at least 1ms");
        poolSize = poolSize == null ? 32 : poolSize;
        InvalidConfigException.require(poolSize > 0, "pool-size", "must be > 0");
        keyPrefix = keyPrefix == null ? "portico:rate-limit" : keyPrefix;
        InvalidConfigException.require(keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0, "key-prefix",
                "must not hold { or }: they decide the cluster slot");
        circuit = circuit == null ? new Circuit(null, null) : circuit;
        InvalidConfigException.require(sentinel == null || cluster == null, "cluster",
                "cannot be set together with sentinel");
    }

    /**
     * @param failures consecutive failed calls that open the circuit; default 5
     * @param openFor  how long an open circuit skips Redis before one probe call; default 2s
     */
    public record Circuit(Integer failures, Duration openFor) {
        public Circuit {
            failures = failures == null ? 5 : failures;
            InvalidConfigException.require(failures > 0, "failures", "must be > 0");
            openFor = openFor == null ? Duration.ofSeconds(2) : openFor;
            InvalidConfigException.require(openFor.toMillis() >= 1, "open-for", "must be at least 1ms");
        }
    }

    /**
     * @param master   the primary's name as the sentinels know it
     * @param nodes    the sentinels, {@code host:port}
     * @param password the sentinels' own password, when they have one
     */
    public record Sentinel(String master, List<String> nodes, String password) {
        public Sentinel {
            InvalidConfigException.require(master != null && !master.isBlank(), "master", "must name the primary");
            InvalidConfigException.require(nodes != null && !nodes.isEmpty(), "nodes", "must list host:port of the sentinels");
            nodes = List.copyOf(nodes);
            nodes.forEach(node -> HostPorts.check("nodes", node));
        }
    }

    /**
     * @param nodes some of the cluster's nodes, {@code host:port}; the rest are discovered
     */
    public record Cluster(List<String> nodes) {
        public Cluster {
            InvalidConfigException.require(nodes != null && !nodes.isEmpty(), "nodes", "must list host:port of some nodes");
            nodes = List.copyOf(nodes);
            nodes.forEach(node -> HostPorts.check("nodes", node));
        }
    }
}
