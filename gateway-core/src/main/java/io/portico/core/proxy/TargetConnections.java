package io.portico.core.proxy;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.io.ssl.SslClientConnectionFactory;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The keep-alive connections to one target ({@code host:port}, HTTP/1.1 in clear or over TLS). The
 * most recently used idle connection is taken first, so a quiet spell lets the others reach their
 * idle time-out and close; there is no cap, as nginx's upstream keep-alive has none by default.
 */
final class TargetConnections {
    private final String host;
    private final int port;
    private final ClientConnector connector;
    private final SocketAddressResolver resolver;
    private final ClientConnectionFactory connections;
    private final ConcurrentLinkedDeque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean retired;

    /** @param tls for an {@code https://} target, how to speak TLS to it; {@code null} for a plain one */
    TargetConnections(String host, int port, SslContextFactory.Client tls, ClientConnector connector,
                      SocketAddressResolver resolver) {
        this.host = host;
        this.port = port;
        this.connector = connector;
        this.resolver = resolver;
        ClientConnectionFactory http = (endPoint, ignored) ->
                new UpstreamConnection(endPoint, connector.getExecutor(), connector.getByteBufferPool(), this);
        // TLS sits between the socket and the HTTP/1.1 connection, which reads and writes clear text
        // through the TLS end point: the exchange is the same either way
        this.connections = tls == null ? http
                : new SslClientConnectionFactory(tls, connector.getByteBufferPool(), connector.getExecutor(), http);
    }

    /** Sends the request on an idle connection, or on a new one. */
    void send(UpstreamRequest request, UpstreamListener listener) {
        UpstreamConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.start(request, listener)) {
                return;
            }
        }
        sendOnNewConnection(request, listener);
    }

    /**
     * Sends on a connection of its own: also the second try of a request whose kept connection the
     * upstream had closed (nginx does the same).
     */
    void sendOnNewConnection(UpstreamRequest request, UpstreamListener listener) {
        resolver.resolve(host, port, Map.of(), new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                connect(addresses.get(0), request, listener);
            }

            @Override
            public void failed(Throwable failure) {
                listener.onFailure(failure, false);
            }
        });
    }

    private void connect(InetSocketAddress address, UpstreamRequest request, UpstreamListener listener) {
        Map<String, Object> context = new HashMap<>();
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        context.put(ClientConnector.REMOTE_SOCKET_ADDRESS_CONTEXT_KEY, address);
        context.put(ClientConnectionFactory.CONTEXT_KEY, connections);
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<Connection>() {
            @Override
            public void succeeded(Connection connection) {
                UpstreamConnection opened;
                if (connection instanceof SslConnection tls) {
                    opened = (UpstreamConnection) tls.getSslEndPoint().getConnection();
                    // the handshake follows, when the request's first bytes are written
                    tls.addHandshakeListener(new SslHandshakeListener() {
                        @Override
                        public void handshakeFailed(Event event, Throwable failure) {
                            opened.transportFailed(failure);
                        }
                    });
                } else {
                    opened = (UpstreamConnection) connection;
                }
                if (!opened.start(request, listener)) {
                    listener.onFailure(new java.nio.channels.ClosedChannelException(), false);
                }
            }

            @Override
            public void failed(Throwable failure) {
                listener.onFailure(failure, false);
            }
        });
        connector.connect(address, context);
    }

    /** An exchange finished and left the connection fit for another, unless the pool is retired. */
    void release(UpstreamConnection connection) {
        if (retired) {
            connection.close();
            return;
        }
        idle.offerFirst(connection);
        // retired meanwhile: retire() may have emptied the pool before this one was in it
        if (retired && idle.remove(connection)) {
            connection.close();
        }
    }

    /** The connection closed. */
    void remove(UpstreamConnection connection) {
        idle.remove(connection);
    }

    /**
     * The pool is forgotten: its idle connections close now, and its busy ones when their exchange
     * ends. Sends that still come (a request on an older snapshot) are served on new connections.
     */
    void retire() {
        retired = true;
        UpstreamConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }
}
