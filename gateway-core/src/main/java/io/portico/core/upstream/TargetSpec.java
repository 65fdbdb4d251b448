package io.portico.core.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One target of an upstream pool, as configured.
 *
 * @param scheme {@code http} or {@code https}
 * @param host   a host name or IP literal (IPv6 without brackets)
 * @param port   the port
 * @param weight relative share of requests, at least 1
 */
public record TargetSpec(String scheme, String host, int port, int weight) {

    public TargetSpec {
        if (weight < 1) {
            throw new IllegalArgumentException("a target's weight must be at least 1");
        }
    }

    /**
     * Parses {@code http://127.0.0.1:9001}: http or https, a host, an optional port; no path,
     * query or user information.
     *
     * @throws IllegalArgumentException saying what is wrong with the URL
     */
    public static TargetSpec parse(String url, int weight) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("'" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + url + "' must not carry user information");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' must be scheme, host and port only; "
                    + "use the route's rewrite or strip-prefix for paths");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
        return new TargetSpec(scheme, host, port, weight);
    }

    /** {@code host:port}, IPv6 hosts bracketed. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
