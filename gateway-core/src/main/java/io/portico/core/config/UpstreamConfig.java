package io.portico.core.config;

import io.portico.api.InvalidConfigException;
import java.time.Duration;
import java.util.List;

/**
 * A named pool of targets.
 *
 * @param targets        where requests go
 * @param balancer       how a target is picked; default round-robin
 * @param hashOn         for consistent-hash: what to hash
 * @param healthCheck    active health checks; none when absent
 * @param passive        passive ejection after consecutive failures
 * @param connectTimeout default 5s
 * @param readTimeout    time to wait for the response headers, and between body bytes; default 60s
 * @param retries        further attempts on another target, for idempotent methods or when the
 *                       request never reached the upstream; default 1
 * @param keepAliveTimeout how long a kept connection to a target (in clear or TLS) may idle before
 *                       the gateway closes it; default 60s. Set it below the upstream's own (Node's
 *                       is 5 s), so that the gateway, not the upstream, closes an idle connection
 * @param tls            how the gateway checks and presents itself to {@code https://} targets;
 *                       without it, the JVM's trust store and the target URL's host name
 */
public record UpstreamConfig(List<TargetConfig> targets, BalancerName balancer, HashOnConfig hashOn,
                             HealthCheckConfig healthCheck, PassiveConfig passive, Duration connectTimeout,
                             Duration readTimeout, Integer retries, Duration keepAliveTimeout, TargetTlsConfig tls) {

    public UpstreamConfig {
        InvalidConfigException.require(targets != null && !targets.isEmpty(), "targets", "must list at least one target");
        balancer = balancer == null ? BalancerName.ROUND_ROBIN : balancer;
        InvalidConfigException.require(balancer != BalancerName.CONSISTENT_HASH || hashOn != null, "hashOn",
                "consistent-hash needs hash-on (header, cookie or client-ip)");
        InvalidConfigException.require(balancer == BalancerName.CONSISTENT_HASH || hashOn == null, "hashOn",
                "hash-on is used only by balancer: consistent-hash");
        passive = passive == null ? new PassiveConfig(null, null) : passive;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
        retries = retries == null ? 1 : retries;
        InvalidConfigException.require(retries >= 0 && retries <= 5, "retries", "must be between 0 and 5");
        keepAliveTimeout = keepAliveTimeout == null ? Duration.ofSeconds(60) : keepAliveTimeout;
        InvalidConfigException.require(keepAliveTimeout.toMillis() >= 1 && keepAliveTimeout.compareTo(Duration.ofHours(1)) <= 0,
                "keepAliveTimeout", "must be between 1ms and 1h");
    }

    /** The balancers a pool can use. */
    public enum BalancerName { ROUND_ROBIN, LEAST_REQUESTS, CONSISTENT_HASH }

    /** A single-target pool for a route's {@code url:}. */
    public static UpstreamConfig ofUrl(String url) {
        return new UpstreamConfig(List.of(new TargetConfig(url, null)), null, null, null, null, null, null, null, null, null);
    }

    /**
     * @param url    {@code http://host:port} or {@code https://host:port}
     * @param weight relative share of requests; default 1
     */
    public record TargetConfig(String url, Integer weight) {
        public TargetConfig {
            InvalidConfigException.require(url != null, "url", "must be set");
            weight = weight == null ? 1 : weight;
            InvalidConfigException.require(weight >= 1 && weight <= 1000, "weight", "must be between 1 and 1000");
        }
    }

    /** Exactly one of: a header's value, a cookie's value, the client's IP. */
    public record HashOnConfig(String header, String cookie, Boolean clientIp) {
        public HashOnConfig {
            int set = (header != null ? 1 : 0) + (cookie != null ? 1 : 0) + (clientIp != null && clientIp ? 1 : 0);
            InvalidConfigException.require(set == 1, "header", "set exactly one of header, cookie or client-ip: true");
        }
    }

    /**
     * @param path               what to GET; must answer 2xx or 3xx
     * @param interval           default 5s
     * @param timeout            default 2s
     * @param healthyThreshold   successes in a row to come back; default 2
     * @param unhealthyThreshold failures in a row to be taken out; default 3
     */
    public record HealthCheckConfig(String path, Duration interval, Duration timeout, Integer healthyThreshold,
                                    Integer unhealthyThreshold) {
        public HealthCheckConfig {
            InvalidConfigException.require(path != null && path.startsWith("/"), "path", "must be set and start with '/'");
            interval = interval == null ? Duration.ofSeconds(5) : interval;
            timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
            healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
            unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
            InvalidConfigException.require(healthyThreshold >= 1, "healthyThreshold", "must be >= 1");
            InvalidConfigException.require(unhealthyThreshold >= 1, "unhealthyThreshold", "must be >= 1");
            InvalidConfigException.require(!interval.isZero() && !interval.isNegative(), "interval", "must be > 0");
        }
    }

    /**
     * @param consecutiveFailures failures in a row that eject a target; default 5
     * @param ejection            how long it stays out before it is tried again; default 30s
     */
    public record PassiveConfig(Integer consecutiveFailures, Duration ejection) {
        public PassiveConfig {
            consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
            ejection = ejection == null ? Duration.ofSeconds(30) : ejection;
            InvalidConfigException.require(consecutiveFailures >= 1, "consecutiveFailures", "must be >= 1");
        }
    }
}
