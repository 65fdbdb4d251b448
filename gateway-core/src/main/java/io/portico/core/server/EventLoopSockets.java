package io.portico.core.server;

import io.portico.api.SocketConnection;
import io.portico.api.SocketReader;
import io.portico.api.Sockets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;

/**
 * Plugins' TCP connections, opened through the upstream client's connector, so they are registered
 * with the same selectors as the gateway's clients and upstreams (see {@link UpstreamConnector}).
 * Equal for one connector, that is one gateway: a plugin that keeps connections across reloads can
 * tell when another gateway (in the same process, as in tests) asks for them.
 */
record EventLoopSockets(ClientConnector connector) implements Sockets {

    @Override
    public CompletableFuture<SocketConnection> connect(InetSocketAddress address, Duration connectTimeout,
                                                       SocketReader reader) {
        CompletableFuture<SocketConnection> opened = new CompletableFuture<>();
        Map<String, Object> context = new HashMap<>();
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        context.put(ClientConnectionFactory.CONTEXT_KEY,
                (ClientConnectionFactory) (endPoint, ignored) -> new LoopSocket(endPoint, connector.getExecutor(), reader));
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<Connection>() {
            @Override
            public void succeeded(Connection connection) {
                // opened after the caller stopped waiting: nobody will use or close it
                if (!opened.complete((SocketConnection) connection)) {
                    connection.close();
                }
            }

            @Override
            public void failed(Throwable failure) {
                opened.completeExceptionally(failure);
            }
        });
        connector.connect(address, context);
        return opened.orTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
