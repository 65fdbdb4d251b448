package io.portico.core.proxy;

import io.portico.core.upstream.Target;
import io.portico.core.upstream.TargetSpec;
import io.portico.core.upstream.Upstream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    /** How many serving snapshots use each pool's key; a pool is forgotten when none does. */
    private final Map<String, Integer> users = new HashMap<>();

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
     * {@code upstreams} (a snapshot's) now serve: their targets' pools are kept until every
     * snapshot that uses them has been {@link #retired}.
     */
    public void serving(Collection<Upstream> upstreams) {
        Set<String> keys = keys(upstreams);
        synchronized (users) {
            for (String key : keys) {
                users.merge(key, 1, Integer::sum);
            }
        }
    }

    /**
     * A snapshot's {@code upstreams} serve no more (its last request finished): the pools no other
     * serving snapshot uses (a target removed, or its TLS settings or files changed) close their
     * idle connections and are forgotten, and their busy ones close when their exchange ends.
     */
    public void retired(Collection<Upstream> upstreams) {
        Set<String> keys = keys(upstreams);
        List<TargetConnections> forgotten = new ArrayList<>();
        synchronized (users) {
            for (String key : keys) {
                if (users.merge(key, -1, Integer::sum) <= 0) {
                    users.remove(key);
                    TargetConnections pool = targets.remove(key);
                    if (pool != null) {
                        forgotten.add(pool);
                    }
                }
            }
        }
        forgotten.forEach(TargetConnections::retire);
    }

    private static Set<String> keys(Collection<Upstream> upstreams) {
        Set<String> keys = new HashSet<>();
        for (Upstream upstream : upstreams) {
            for (Target target : upstream.targets()) {
                keys.add(target.connectionKey());
            }
        }
        return keys;
    }

    private TargetConnections open(Target target) {
        TargetSpec spec = target.spec();
        SslContextFactory.Client tls = !spec.scheme().equals("https") ? null
                : target.tls() != null ? target.tls().factory() : client.getSslContextFactory();
        return new TargetConnections(spec.host(), spec.port(), tls, connector, client.getSocketAddressResolver());
    }
}
