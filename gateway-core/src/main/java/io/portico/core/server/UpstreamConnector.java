package io.portico.core.server;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * The upstream client's connector: its connections are registered with the server connector's
 * selector, so that an exchange, from the client's request to the upstream's answer, runs on the
 * one thread that selects for both, without handing anything to another thread.
 */
final class UpstreamConnector extends ClientConnector {
    private final SelectorManager shared;

    UpstreamConnector(SelectorManager shared) {
        this.shared = shared;
    }

    @Override
    protected SelectorManager newSelectorManager() {
        // started by the server before this connector starts, so this connector does not manage it
        return shared;
    }

    EndPoint upstreamEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        EndPoint endPoint = channel instanceof SocketChannel socket
                ? new SparingEndPoint(socket, selector, key, getScheduler(), getExecutor()) : newEndPoint(channel, selector, key);
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
    }

    Connection upstreamConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
        return newConnection(endPoint, context);
    }

    void upstreamConnectFailed(SelectableChannel channel, Throwable failure, Map<String, Object> context) {
        connectFailed(channel, (java.net.SocketAddress) context.get(REMOTE_SOCKET_ADDRESS_CONTEXT_KEY), failure, context);
    }

    void upstreamAcceptFailed(SelectableChannel channel, Throwable failure, Map<String, Object> context) {
        acceptFailed(failure, channel, context);
    }
}
