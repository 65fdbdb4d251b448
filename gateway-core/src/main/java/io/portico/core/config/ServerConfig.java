package io.portico.core.config;

import io.portico.api.InvalidConfigException;
import java.time.Duration;
import java.util.List;

/**
 * The listening side: ports, TLS, limits, trusted proxies, draining and logging.
 *
 * @param host           the address to listen on; default {@code 0.0.0.0}
 * @param port           the HTTP/1.1 and h2c port; default 8080 ({@code 0} picks a free port)
 * @param tls            optional TLS termination on its own port
 * @param admin          optional admin endpoints on their own port
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-*} headers are believed
 * @param limits         sizes and timeouts at the edge
 * @param drainTimeout   how long SIGTERM waits for in-flight requests; default 10s
 * @param accessLog      where the JSON access log goes
 * @param via            the pseudonym sent in {@code Via}; default {@code portico}
 * @param pluginsFolder  where plugin jars are loaded from, relative to the home folder; default {@code plugins}
 */
public record ServerConfig(String host, Integer port, TlsConfig tls, AdminConfig admin, List<String> trustedProxies,
                           LimitsConfig limits, Duration drainTimeout, AccessLogConfig accessLog, String via,
                           String pluginsFolder) {

    public ServerConfig {
        host = host == null ? "0.0.0.0" : host;
        port = port == null ? 8080 : port;
        InvalidConfigException.require(port >= 0 && port <= 65535, "port", "must be between 0 and 65535");
        trustedProxies = trustedProxies == null ? List.of() : trustedProxies;
        limits = limits == null ? LimitsConfig.defaults() : limits;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(10) : drainTimeout;
        accessLog = accessLog == null ? AccessLogConfig.defaults() : accessLog;
        via = via == null ? "portico" : via;
        InvalidConfigException.require(via.matches("[A-Za-z0-9._-]+"), "via", "must be a single token such as portico");
        pluginsFolder = pluginsFolder == null ? "plugins" : pluginsFolder;
    }

    static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy listening on another address. */
    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, tls, admin, trustedProxies, limits, drainTimeout, accessLog, via, pluginsFolder);
    }

    /** A copy with TLS on another port. */
    public ServerConfig withTlsPort(int newPort) {
        return tls == null ? this : new ServerConfig(host, port, new TlsConfig(newPort, tls.certificate(), tls.key(),
                tls.keystore(), tls.password()), admin, trustedProxies, limits, drainTimeout, accessLog, via, pluginsFolder);
    }

    /** A copy listening on another port. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, tls, admin, trustedProxies, limits, drainTimeout, accessLog, via, pluginsFolder);
    }
}
