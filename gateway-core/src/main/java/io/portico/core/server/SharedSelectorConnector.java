package io.portico.core.server;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The plain HTTP connector, whose selector also carries the upstream client's connections (see
 * {@link UpstreamConnector}). A channel the client registers comes with the client's context map
 * as its attachment; everything else is the server's own.
 */
final class SharedSelectorConnector extends ServerConnector {
    private volatile UpstreamConnector upstream;

    SharedSelectorConnector(Server server, int acceptors, int selectors, ConnectionFactory... factories) {
        super(server, acceptors, selectors, factories);
    }

    void carryUpstream(UpstreamConnector upstream) {
        this.upstream = upstream;
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        SparingEndPoint endPoint = new SparingEndPoint(channel, selector, key, getScheduler(), getExecutor());
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new Manager(executor, scheduler, selectors);
    }

    private final class Manager extends ServerConnectorManager {
        // upstream channels, so that the server's connection count and limit never see them
        private final Set<SelectableChannel> upstreamChannels = ConcurrentHashMap.newKeySet();

        Manager(Executor executor, Scheduler scheduler, int selectors) {
            super(executor, scheduler, selectors);
        }

        @Override
        protected ManagedSelector newSelector(int id) {
            return new LoopSelector(this, id);
        }

        @Override
        public void connect(SelectableChannel channel, Object attachment) {
            upstreamChannels.add(channel);
            super.connect(channel, attachment);
        }

        @Override
        public void accept(SelectableChannel channel, Object attachment) {
            if (attachment instanceof Map) {
                upstreamChannels.add(channel);
            }
            super.accept(channel, attachment);
        }

        @Override
        protected void onAccepting(SelectableChannel channel) {
            if (!upstreamChannels.contains(channel)) {
                super.onAccepting(channel);
            }
        }

        @Override
        protected void onAccepted(SelectableChannel channel) {
            if (!upstreamChannels.contains(channel)) {
                super.onAccepted(channel);
            }
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector,
                                                    SelectionKey key) throws IOException {
            if (key.attachment() instanceof Map) {
                return (SocketChannelEndPoint) upstream.upstreamEndPoint(channel, selector, key);
            }
            return super.newEndPoint(channel, selector, key);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment)
                throws IOException {
            if (attachment instanceof Map<?, ?> context) {
                return upstream.upstreamConnection(endPoint, (Map<String, Object>) context);
            }
            return super.newConnection(channel, endPoint, attachment);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void connectionOpened(Connection connection, Object context) {
            if (!(context instanceof Map<?, ?> map)) {
                super.connectionOpened(connection, context);
                return;
            }
            Promise<Connection> promise = (Promise<Connection>) map.get(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY);
            try {
                super.connectionOpened(connection, context);
                promise.succeeded(connection);
            } catch (Throwable failure) {
                promise.failed(failure);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            super.connectionFailed(channel, failure, attachment);
            if (attachment instanceof Map<?, ?> context) {
                upstreamChannels.remove(channel);
                upstream.upstreamConnectFailed(channel, failure, (Map<String, Object>) context);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void onAcceptFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            if (attachment instanceof Map<?, ?> context) {
                upstreamChannels.remove(channel);
                upstream.upstreamAcceptFailed(channel, failure, (Map<String, Object>) context);
                return;
            }
            super.onAcceptFailed(channel, failure, attachment);
        }

        @Override
        protected void endPointOpened(EndPoint endPoint) {
            if (!(endPoint.getTransport() instanceof SelectableChannel channel && upstreamChannels.contains(channel))) {
                super.endPointOpened(endPoint);
            }
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            if (!(endPoint.getTransport() instanceof SelectableChannel channel && upstreamChannels.remove(channel))) {
                super.endPointClosed(endPoint);
            }
        }
    }
}
