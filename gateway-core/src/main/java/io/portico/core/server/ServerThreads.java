package io.portico.core.server;

import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's thread pool, which runs one kind of task where it is handed in rather than on
 * another thread: an HTTP/1.1 connection going back to reading after a response that completed
 * away from the connection's own reading thread. For a proxy that is every response (it
 * completes when the upstream's answer has been relayed), and Jetty hands each such resumption
 * to a pool thread, which mostly finds nothing to read yet and asks the selector to wait: one
 * thread wake-up per request, for nothing. Running it in place is safe because the gateway's
 * handler never blocks: reading the next request at most starts its upstream call and returns.
 */
final class ServerThreads extends QueuedThreadPool {
    ServerThreads(int maxThreads, int minThreads) {
        super(maxThreads, minThreads);
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof HttpConnection connection) {
            connection.run();
            return;
        }
        super.execute(job);
    }
}
