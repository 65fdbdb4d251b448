package io.portico.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * TCP connections on the gateway's own event loop, for a plugin that speaks a protocol of its own
 * to a service (Redis, memcached, a metrics agent), as nginx modules and OpenResty's cosockets
 * reach such services. What arrives is handed to the plugin's {@link SocketReader} on the thread
 * that selected it: the threads that serve the gateway's clients and upstreams. A request whose
 * future an answer completes goes on right there, without a thread of the plugin's own to wake,
 * and writes made while the loop serves other connections go out together (see
 * {@link SocketConnection#write}).
 *
 * <p>Plain TCP only: a plugin that needs TLS to its service uses a client library of its own.
 */
public interface Sockets {

    /**
     * Opens a connection to {@code address}.
     *
     * @param reader given the bytes that arrive, and told when the connection closes; one reader per
     *               connection. Reading starts as the connection opens, so where the service speaks
     *               first the reader may be called before the returned future completes
     * @return completes with the open connection, or fails: refused, unreachable, or a
     *         {@link java.util.concurrent.TimeoutException} when {@code connectTimeout} passed first
     */
    CompletableFuture<SocketConnection> connect(InetSocketAddress address, Duration connectTimeout,
                                                SocketReader reader);
}
