package io.portico.core.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One target of an upstream pool, as configured: {@code http://127.0.0.1:9001} with a weight.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host   a host name or an IP literal (an IPv6 literal without brackets)
 * @param port   1 to 65535
 * @param weight 1 to {@value #MAX_WEIGHT}; a target of weight 2 gets twice the share of one of weight 1
 */
public record TargetSpec(String scheme, String host, int port, int weight) {

    /** The largest weight a target may have. */
    public static final int MAX_WEIGHT = 1000;

    public TargetSpec {
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("scheme must be http or https, was " + scheme);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be 1.." + MAX_WEIGHT + ", was " + weight);
        }
    }

    /**
     * Parses a target URL such as {@code http://127.0.0.1:9001} or {@code https://api.internal}
     * (the port defaults to 80 or 443). A single trailing {@code /} is accepted; any other path,
     * a query, a fragment or user info is refused.
     *
     * @throws IllegalArgumentException naming the URL and what is wrong with it
     */
    public static TargetSpec parse(String url, int weight) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("target url is required");
        }
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("target url '" + url + "' must start with http:// or https://");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target url '" + url + "' is not a valid URI: " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("target url '" + url + "' must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not contain user info");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("target url '" + url + "' has no host");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a path (was " + path
                    + "); use the route's path rewriting instead");
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a query");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a fragment");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        try {
            return new TargetSpec(scheme, host.toLowerCase(Locale.ROOT), port, weight);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("target url '" + url + "': " + e.getMessage(), e);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets: {@code 127.0.0.1:9001}, {@code [::1]:9001}. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code scheme://host:port}, always with the port: {@code http://127.0.0.1:9001}. */
    public String baseUri() {
        return scheme + "://" + address();
    }
}
