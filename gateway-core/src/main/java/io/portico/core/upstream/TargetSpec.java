package io.portico.core.upstream;

import java.net.URI;

/** Placeholder until the upstream package lands. */
public record TargetSpec(String scheme, String host, int port, int weight) {
    public static TargetSpec parse(String url, int weight) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        return new TargetSpec(uri.getScheme(), uri.getHost(), port, weight);
    }
}
