package io.portico.core.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * The server's thread pool, which runs three kinds of task where they are handed in rather than on
 * another thread: a client connection being opened or closed (below), and an HTTP/1.1 connection
 * going back to reading after a response that completed away from the connection's own reading
 * thread. For a proxy that is every response (it completes when the upstream's answer has been
 * relayed), and Jetty hands each such resumption to a pool thread, which mostly finds nothing to
 * read yet and asks the selector to wait: one thread wake-up per request, for nothing. Running it
 * in place is safe because the gateway's handler never blocks: reading the next request at most
 * starts its upstream call and returns. A client without keep-alive paid two more wake-ups per
 * request, one to open its connection and one to close it: a third of the gateway's CPU in a
 * profile with {@code Connection: close} on every request (docs/performance.md). The resumption
 * after such a closing answer is not run at all: the connection is closed here instead (see
 * {@link #closeAfterLastAnswer}).
 */
final class ServerThreads extends QueuedThreadPool {
    /**
     * Jetty's task that makes the end point and connection of a channel just accepted, which the
     * selector hands to a pool thread after registering the channel.
     */
    private static final Class<?> ACCEPT = jettyTask("Accept");
    /**
     * Jetty's task that tells a closed end point's connection and listeners, which the closing
     * thread hands to a pool thread; its end point, read to tell a client's HTTP/1.1 connection.
     */
    private static final Class<?> DESTROY = jettyTask("DestroyEndPoint");
    private static final VarHandle DESTROYED = destroyedEndPoint();
    /** What is read of a closing client connection's unread bytes: Jetty's request buffer's size. */
    private static final int UNREAD_BYTES = 16 * 1024;

    ServerThreads(int maxThreads, int minThreads) {
        super(maxThreads, minThreads);
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof HttpConnection connection) {
            if (connection.getParser().isTerminated() && connection.isRequestBufferEmpty()) {
                // the request said Connection: close (or broke the protocol) and its answer is out:
                // Jetty would read the socket once more, then find its parser closed by throwing
                // two exceptions (one wrapping the other, each with its stack) and close. Doing the
                // same read and close here costs a tenth less CPU per connection that carries one
                // request (docs/performance.md). With bytes left in its buffer (a request pipelined
                // after the closing one) Jetty's way is kept: it releases them
                closeAfterLastAnswer(connection);
                return;
            }
            connection.run();
            return;
        }
        Class<?> kind = job.getClass();
        if (kind == ACCEPT || kind == DESTROY && DESTROYED != null
                && ((EndPoint) DESTROYED.get(job)).getConnection() instanceof HttpConnection) {
            // making an end point and its connection allocates and registers read interest (also for an
            // upstream connect that completed at once); a client's HTTP/1.1 connection closing tells the
            // connection limit and the listeners: nothing that blocks, so a connection that opens and
            // closes costs no thread hand-offs (Jetty runs the second in place too, when its pool
            // refuses it). Upstream connections' closes stay handed off: theirs take the upstream
            // connection's lock, which a TLS close may be under
            job.run();
            return;
        }
        super.execute(job);
    }

    /**
     * Reads what the client sent after its last request, as Jetty would, and closes: a socket
     * closed with unread bytes in it is reset rather than closed, which can cost the client the
     * end of its answer. (The end point reads nothing, and makes no call, when its last read
     * emptied the socket and the selector has not reported it readable since.)
     */
    private static void closeAfterLastAnswer(HttpConnection connection) {
        EndPoint endPoint = connection.getEndPoint();
        RetainableByteBuffer scratch = connection.getConnector().getByteBufferPool().acquire(UNREAD_BYTES, false);
        try {
            ByteBuffer bytes = scratch.getByteBuffer();
            BufferUtil.clear(bytes);
            endPoint.fill(bytes);
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            scratch.release();
        }
        endPoint.close();
    }

    /**
     * The task's class, or null when this Jetty has none of that name: its tasks then go to the
     * pool like any other, slower but right.
     */
    private static Class<?> jettyTask(String name) {
        try {
            return Class.forName("org.eclipse.jetty.io.ManagedSelector$" + name);
        } catch (ClassNotFoundException e) {
            LoggerFactory.getLogger(ServerThreads.class).warn("this Jetty has no ManagedSelector.{}; its tasks run"
                    + " on pool threads", name);
            return null;
        }
    }

    private static VarHandle destroyedEndPoint() {
        if (DESTROY == null) {
            return null;
        }
        try {
            return MethodHandles.privateLookupIn(DESTROY, MethodHandles.lookup())
                    .findVarHandle(DESTROY, "endPoint", EndPoint.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(ServerThreads.class).warn("this Jetty's DestroyEndPoint has no endPoint to read;"
                    + " closes run on pool threads", e);
            return null;
        }
    }
}
