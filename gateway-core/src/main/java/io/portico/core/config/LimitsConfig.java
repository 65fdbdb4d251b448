package io.portico.core.config;

import io.portico.api.DataSize;
import io.portico.api.InvalidConfigException;
import java.time.Duration;

/**
 * What the edge accepts and for how long it waits.
 *
 * @param maxHeaderSize    request line and headers together; more gets 431; default 8KB
 * @param maxUriLength     the request target; more gets 414; default 8KB
 * @param maxBodySize      a request body, checked while it streams; more gets 413; default 100MB
 * @param maxBufferedBody  what a filter may read whole into memory; default 10MB
 * @param idleTimeout      a client connection with no traffic is closed; default 30s
 * @param maxConnections   open client connections at once; default 10000
 */
public record LimitsConfig(DataSize maxHeaderSize, DataSize maxUriLength, DataSize maxBodySize,
                           DataSize maxBufferedBody, Duration idleTimeout, Integer maxConnections) {

    public LimitsConfig {
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(8) : maxHeaderSize;
        maxUriLength = maxUriLength == null ? DataSize.ofKilobytes(8) : maxUriLength;
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(100) : maxBodySize;
        maxBufferedBody = maxBufferedBody == null ? DataSize.ofMegabytes(10) : maxBufferedBody;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout;
        maxConnections = maxConnections == null ? 10_000 : maxConnections;
        InvalidConfigException.require(maxHeaderSize.bytes() >= 1024, "maxHeaderSize", "must be at least 1KB");
        InvalidConfigException.require(maxUriLength.bytes() >= 256, "maxUriLength", "must be at least 256B");
        InvalidConfigException.require(maxHeaderSize.bytes() <= 1024 * 1024, "maxHeaderSize", "must be at most 1MB");
        InvalidConfigException.require(maxConnections > 0, "maxConnections", "must be > 0");
    }

    static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null);
    }
}
