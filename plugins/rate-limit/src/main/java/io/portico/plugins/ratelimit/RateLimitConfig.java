package io.portico.plugins.ratelimit;

import io.portico.api.InvalidConfigException;
import java.time.Duration;
import java.util.List;

/**
 * The configuration of one {@code rate-limit} place.
 *
 * @param key            what is counted: parts among {@code consumer}, {@code client-ip},
 *                       {@code route}, {@code upstream}, {@code header:NAME}, {@code claim:NAME};
 *                       default {@code [consumer]}
 * @param limits         the windows, all enforced at once
 * @param algorithm      {@code gcra} (default) or {@code sliding-window}
 * @param policy         {@code local} (default) or {@code redis}
 * @param namespace      names the counter space; places with the same namespace, algorithm and
 *                       limits share counters; default {@code default}
 * @param local          settings of the {@code local} policy
 * @param redis          settings of the {@code redis} policy, required with it
 * @param onRedisFailure {@code allow} (default) or {@code deny} when Redis cannot answer
 * @param mode           {@code reject} (default) or {@code throttle}
 * @param maxDelay       the longest a request waits in {@code throttle} mode; default 500ms
 * @param headers        {@code ietf} (default), {@code legacy}, {@code both} or {@code none}
 */
public record RateLimitConfig(List<String> key, List<WindowConfig> limits, Algorithm algorithm, Policy policy,
                              String namespace, LocalSettings local, RedisSettings redis,
                              FailurePolicy onRedisFailure, Mode mode, Duration maxDelay, HeaderStyle headers) {

    /** Applies defaults and checks the combination. */
    public RateLimitConfig {
        key = key == null ? List.of("consumer") : List.copyOf(key);
        InvalidConfigException.require(!key.isEmpty(), "key", "must name at least one part, such as [consumer]");
        for (String part : key) {
            KeyPart.parse(part);
        }
        InvalidConfigException.require(limits != null && !limits.isEmpty(), "limits",
                "must list at least one window, such as [{ requests: 10, per: 1s }]");
        limits = List.copyOf(limits);
        algorithm = algorithm == null ? Algorithm.GCRA : algorithm;
        if (algorithm == Algorithm.SLIDING_WINDOW) {
            for (WindowConfig window : limits) {
                InvalidConfigException.require(window.burst() == null, "limits",
                        "burst applies to the gcra algorithm only; a sliding window already admits all its requests at once");
            }
        }
        policy = policy == null ? Policy.LOCAL : policy;
        namespace = namespace == null ? "default" : namespace;
        InvalidConfigException.require(!namespace.isBlank() && namespace.indexOf('{') < 0 && namespace.indexOf('}') < 0,
                "namespace", "must be a non-empty name without { or }");
        local = local == null ? new LocalSettings(null) : local;
        InvalidConfigException.require(policy == Policy.REDIS || redis == null, "redis",
                "is only read with policy: redis");
        if (policy == Policy.REDIS && redis == null) {
            redis = new RedisSettings(null, null, null, null, null, null, null);
        }
        onRedisFailure = onRedisFailure == null ? FailurePolicy.ALLOW : onRedisFailure;
        mode = mode == null ? Mode.REJECT : mode;
        InvalidConfigException.require(maxDelay == null || mode == Mode.THROTTLE, "max-delay",
                "applies to mode: throttle only");
        maxDelay = maxDelay == null ? (mode == Mode.THROTTLE ? Duration.ofMillis(500) : Duration.ZERO) : maxDelay;
        InvalidConfigException.require(!maxDelay.isNegative(), "max-delay", "must not be negative");
        headers = headers == null ? HeaderStyle.IETF : headers;
    }

    /**
     * One window: at most {@code requests} per {@code per}.
     *
     * @param requests how many requests the window admits, at least 1
     * @param per      the window's length, at least 1ms
     * @param burst    with {@code gcra}: how many may come at once; default {@code requests}
     */
    public record WindowConfig(int requests, Duration per, Integer burst) {
        public WindowConfig {
            InvalidConfigException.require(requests > 0, "requests", "must be > 0");
            InvalidConfigException.require(per != null, "per", "must be set, such as 1s");
            InvalidConfigException.require(per.toMillis() >= 1, "per", "must be at least 1ms");
            // Redis counts in microseconds: a window needs at least one per request
            InvalidConfigException.require(per.toNanos() / requests >= 1000, "requests",
                    "must be at most one per microsecond of the window");
            InvalidConfigException.require(burst == null || burst > 0, "burst", "must be > 0");
        }

        /** The burst in effect. */
        int effectiveBurst() {
            return burst == null ? requests : burst;
        }
    }

    /**
     * @param maxKeys the most keys counted at once; the least recently used go first; default 100000
     */
    public record LocalSettings(Integer maxKeys) {
        public LocalSettings {
            maxKeys = maxKeys == null ? 100_000 : maxKeys;
            InvalidConfigException.require(maxKeys > 0, "max-keys", "must be > 0");
        }
    }

    /** How requests are counted. */
    public enum Algorithm {
        /** Generic cell rate algorithm: a token bucket of {@code burst} refilled at {@code requests/per}. */
        GCRA,
        /** Two fixed windows, the previous one weighted by how much of it still overlaps. */
        SLIDING_WINDOW
    }

    /** Where counters live. */
    public enum Policy {
        /** In this gateway's memory. */
        LOCAL,
        /** In Redis, shared by every gateway using it. */
        REDIS
    }

    /** What happens when Redis cannot answer. */
    public enum FailurePolicy {
        /** Let the request through, log and count it. */
        ALLOW,
        /** Answer 503. */
        DENY
    }

    /** What happens past the limit. */
    public enum Mode {
        /** Answer 429. */
        REJECT,
        /** Delay the request up to max-delay, then answer 429. */
        THROTTLE
    }

    /** Which headers report the limit. */
    public enum HeaderStyle {
        /** {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset}, {@code RateLimit-Policy}. */
        IETF,
        /** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}. */
        LEGACY,
        /** Both sets. */
        BOTH,
        /** No rate limit headers (429 still carries {@code Retry-After}). */
        NONE
    }
}
