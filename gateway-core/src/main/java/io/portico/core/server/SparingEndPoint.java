package io.portico.core.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The plain connector's socket end point, which spares two system calls that Jetty's makes on
 * every proxied exchange and nginx does not:
 *
 * <ul>
 *   <li>Jetty takes a connection out of epoll while it handles what it read ({@code
 *       EPOLL_CTL_DEL}) and puts it back when it wants to read again ({@code EPOLL_CTL_ADD}): two
 *       {@code epoll_ctl} per request on the client's side, since the exchange always spans a
 *       select. This end point keeps a connection that read what it was told of registered for
 *       reading; only an event nobody waits for (the client sends while its request is handled)
 *       takes it out, as epoll would otherwise report that event on every select.</li>
 *   <li>Jetty reads again after every message, and that read finds nothing ({@code EAGAIN}): on
 *       the client's side once the response is written (and on the upstream's once the answer is
 *       parsed, where this end point is not used: see UpstreamConnector). A read that returned less than the room it had emptied the socket at that moment;
 *       until the selector reports the socket readable again, a read here returns 0 without the
 *       call. That is safe because a caller that reads 0 asks to be told when there is more
 *       ({@code fillInterested}), and epoll, level-triggered and still registered for reading,
 *       reports bytes that came meanwhile at the next select.</li>
 * </ul>
 *
 * <p>Measured (performance.md, flat out): per proxied request 2.1 {@code epoll_ctl} and 5.3 {@code
 * read}s before, 0 and 3.1 with it on the client's side (nginx: 0 and 2); 7 to 13 µs less CPU per
 * request.
 */
final class SparingEndPoint extends SocketChannelEndPoint {
    private volatile SelectionKey key;
    /** The socket was emptied by the last read and the selector has not reported it readable since. */
    private volatile boolean drained;
    /** Stay registered for reading while not asked to read; selector thread only. */
    private boolean keepReading;
    /** The last read event came with nobody asking to read: stop watching; selector thread only. */
    private boolean dropReading;

    SparingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
        this.key = key;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (drained && !isInputShutdown()) {
            return 0;
        }
        int room = BufferUtil.space(buffer);
        int filled = super.fill(buffer);
        if (filled >= 0 && filled < room) {
            drained = true;
        }
        return filled;
    }

    @Override
    public Runnable onSelected() {
        if ((key.readyOps() & SelectionKey.OP_READ) != 0) {
            drained = false;
            keepReading = isFillInterested();
            dropReading = !keepReading;
        }
        return super.onSelected();
    }

    /**
     * Jetty brings the key's interests in line with what the connection wants; this then adds
     * reading back when kept. So the key may watch reading beyond what Jetty thinks it set, never
     * the reverse: a removal here happens only right after Jetty's own update, where the two agree
     * but for the reading this end point added.
     */
    @Override
    public void updateKey() {
        super.updateKey();
        try {
            int interests = key.interestOps();
            if (dropReading) {
                dropReading = false;
                if ((interests & SelectionKey.OP_READ) != 0 && !isFillInterested()) {
                    key.interestOps(interests & ~SelectionKey.OP_READ);
                }
            } else if (keepReading && (interests & SelectionKey.OP_READ) == 0) {
                // undoes Jetty's removal before the selector applies it: no epoll_ctl at all
                key.interestOps(interests | SelectionKey.OP_READ);
            }
        } catch (CancelledKeyException closed) {
            keepReading = false;
        }
    }

    @Override
    public void replaceKey(SelectionKey newKey) {
        super.replaceKey(newKey);
        this.key = newKey;
    }
}
