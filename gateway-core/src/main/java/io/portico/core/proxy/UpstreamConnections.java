package io.portico.core.proxy;

import io.portico.core.upstream.Target;
import io.portico.core.upstream.TargetSpec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.client.AbstractConnectorHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;

/**
 * The gateway's own HTTP/1.1 client for plain-HTTP targets: keep-alive connections per target on
 * the gateway's selectors, kept across configuration reloads. It does what a proxy needs and no
 * more (no redirects, cookies, authentication or decoding), which is most of what jetty-client costs
 * per exchange (architecture.md). TLS targets and WebSockets still go through jetty-client.
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

    /** Whether this client sends to the target: plain HTTP only. */
    static boolean serves(TargetSpec target) {
        return target.scheme().equals("http");
    }

    /** Keyed by the target's address, built once with the target, so a reload keeps the connections. */
    void send(Target target, UpstreamRequest request, UpstreamListener listener) {
        TargetConnections connections = targets.get(target.address());
        if (connections == null) {
            TargetSpec spec = target.spec();
            connections = targets.computeIfAbsent(target.address(), address -> new TargetConnections(spec.host(),
                    spec.port(), connector, client.getSocketAddressResolver()));
        }
        connections.send(request, listener);
    }
}
