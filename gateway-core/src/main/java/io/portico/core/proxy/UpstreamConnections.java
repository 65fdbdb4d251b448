package io.portico.core.proxy;

import io.portico.core.upstream.Target;
import io.portico.core.upstream.TargetSpec;
import io.portico.core.upstream.Upstream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.client.AbstractConnectorHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The gateway's own HTTP/1.1 client: keep-alive connections per target on the gateway's selectors,
 * kept across configuration reloads, in clear or over TLS. It does what a proxy needs and no more
 * (no redirects, cookies, authentication or decoding), which is most of what jetty-client costs per
 * exchange (architecture.md). WebSockets, health checks and side calls go through jetty-client.
 */
public final class UpstreamConnections {
    private final ClientConnector connector;
    private final HttpClient client;
    private final ConcurrentMap<String, TargetConnections> targets = new ConcurrentHashMap<>();

    /** Connects through the client's connector, which is registered with the server's selectors. */
    public UpstreamConnections(HttpClient client) {
        this.client = client;
        this.connector = ((AbstractConnectorHttpClientTransport) client.getTransport()).getClientConnector();
    }

    /**
     * Keyed by the target's scheme, address and TLS settings, which the target computes once, so
     * that a reload changing none of them keeps the connections.
     */
    void send(Target target, UpstreamRequest request, UpstreamListener listener) {
        TargetConnections connections = targets.get(target.connectionKey());
        if (connections == null) {
            connections = targets.computeIfAbsent(target.connectionKey(), key -> open(target));
        }
        connections.send(request, listener);
    }

    /**
     * Closes the idle connections of pools that none of {@code serving}'s targets use (a target
     * removed, or its TLS settings or files changed), and forgets those pools. One still in use by
     * an exchange lets its connections close when it ends; a later send makes a new pool.
     */
    public void retainOnly(Collection<Upstream> serving) {
        Set<String> used = new HashSet<>();
        for (Upstream upstream : serving) {
            for (Target target : upstream.targets()) {
                used.add(target.connectionKey());
            }
        }
        targets.entrySet().removeIf(entry -> {
            if (used.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().closeIdle();
            return true;
        });
    }

    private TargetConnections open(Target target) {
        TargetSpec spec = target.spec();
        SslContextFactory.Client tls = !spec.scheme().equals("https") ? null
                : target.tls() != null ? target.tls().factory() : client.getSslContextFactory();
        return new TargetConnections(spec.host(), spec.port(), tls, connector, client.getSocketAddressResolver());
    }
}
