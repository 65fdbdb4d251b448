package io.portico.core.server;

import io.portico.core.proxy.TurnEnd;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritePendingException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A socket end point (client's or upstream's) that spares the system calls Jetty's makes on every
 * proxied exchange and nginx does not:
 *
 * <ul>
 *   <li>Jetty takes a socket out of epoll while it handles what it read ({@code EPOLL_CTL_DEL}
 *       at the next select, which an exchange always spans) and puts it back when it wants to read
 *       again ({@code EPOLL_CTL_ADD}). This end point keeps a socket whose last read event went to
 *       a waiting reader registered for reading; only a read event that nobody waited for (the
 *       peer sent while its last message is handled, or closed) takes reading out, since epoll,
 *       level-triggered, would report it on every select.</li>
 *   <li>Jetty reads once more after every message and finds nothing ({@code EAGAIN}). A read that
 *       returned less than the room it had emptied the socket; until the selector reports it
 *       readable again, a read here returns 0 without the call. A caller that reads 0 asks to be
 *       told when there is more, and the socket is then registered for reading, so epoll reports
 *       bytes that came meanwhile at the next select.</li>
 * </ul>
 *
 * <p>It keeps the key's interests itself, replacing Jetty's bookkeeping (whose fields are private)
 * rather than correcting the key behind it: one view of what is wanted and what the key watches,
 * under one lock. The rule that keeps it from losing a wake-up: while someone waits to read, the
 * key watches reading, or an update that will make it watch is pending. A registration sets
 * {@code wanted}, which only a reported read event clears (its task then serves the registration),
 * and the key's interests are computed from {@code wanted} under the same lock, so no registration
 * can fall between a decision to stop reading and the key.
 */
final class SparingEndPoint extends SocketChannelEndPoint implements TurnEnd {
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicReference<HeldWrite> held = new AtomicReference<>();
    private final ManagedSelector.SelectorUpdate sendHeld = selected -> sendHeld();
    private final ManagedSelector selector;
    /** Runs a reader's callback that no selector event will run (see {@link #needsFillInterest}). */
    private final java.util.concurrent.Executor executor;
    private final ManagedSelector.SelectorUpdate update = selected -> updateKey();
    private final Runnable fillable = new Task(true, false);
    private final Runnable flushable = new Task(false, true);
    private final Runnable flushableAndFillable = new Task(true, true);
    private volatile SelectionKey key;
    /** The socket was emptied by the last read and the selector has not reported it readable since. */
    private volatile boolean drained;
    /**
     * Told when the peer closes while nobody reads: set while a request is handled, so that a
     * client that goes away is noticed before its answer is written (nginx's 499). See {@link #peek}.
     */
    private volatile Runnable peerWatch;
    /** Orders a peek's read with the fills around it; taken only while watching, or a peeked byte waits. */
    private final ReentrantLock reading = new ReentrantLock();
    /** A byte a peek read ahead of the reader, which the next fill hands on first; changed under reading. */
    private volatile ByteBuffer peeked;
    private final Runnable peek = new PeekTask();

    // guarded by lock
    /** Interests someone waits on: reading registered, or a flush that did not complete. */
    private int wanted;
    /** What the key was last told to watch. */
    private int watched;
    /** The last read event went to a waiting reader: go on watching reading when nobody waits. */
    private boolean keepReading;
    /** An update of the key will run (the selector's, after a select, or one submitted). */
    private boolean updatePending;

    SparingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                    java.util.concurrent.Executor executor) {
        super(channel, selector, key, scheduler);
        this.selector = selector;
        this.key = key;
        this.executor = executor;
    }

    /** The selector this end point is registered with, whose thread serves it. */
    ManagedSelector selector() {
        return selector;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (peerWatch == null && peeked == null) {
            return fillSparingly(buffer);
        }
        reading.lock();
        try {
            ByteBuffer ahead = peeked;
            if (ahead == null) {
                return fillSparingly(buffer);
            }
            peeked = null;
            BufferUtil.append(buffer, ahead.get());
            // the end of the stream, if it follows, is still there for the next fill
            return 1 + Math.max(0, fillSparingly(buffer));
        } finally {
            reading.unlock();
        }
    }

    /**
     * Watches the peer while a request is handled: when it closes its side and nobody reads,
     * {@code onClosed} runs (on the selector's thread, so it must not block).
     */
    void watchPeer(Runnable onClosed) {
        peerWatch = onClosed;
    }

    /** Stops watching; a peek in progress ends first, so fills after this need no lock. */
    void unwatchPeer() {
        reading.lock();
        try {
            peerWatch = null;
        } finally {
            reading.unlock();
        }
    }

    /**
     * The peer sent or closed while nobody read and a request is handled. Java cannot read without
     * taking (no {@code MSG_PEEK}), so one byte is read ahead and kept for the next fill: the end
     * of the stream means the client went away (nginx does the same, with a peek, and logs 499);
     * a byte means it sent more (its next request, pipelined), which waits for its reader.
     */
    private void peek() {
        Runnable watcher = null;
        int read;
        reading.lock();
        try {
            watcher = peerWatch;
            if (watcher == null || peeked != null || !isOpen()) {
                return;
            }
            ByteBuffer one = BufferUtil.allocate(1);
            read = super.fill(one);
            if (read > 0) {
                peeked = one;
            }
        } catch (IOException reset) {
            read = -1;
        } finally {
            reading.unlock();
        }
        if (read < 0 && watcher != null) {
            watcher.run();
        } else if (read > 0 && getFillInterest().isInterested()) {
            // a reader came meanwhile and asked the selector, which need not report anything more
            executor.execute(getFillInterest()::fillable);
        }
    }

    private int fillSparingly(ByteBuffer buffer) throws IOException {
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
    public void atTurnEnd(Runnable work) {
        if (selector instanceof LoopSelector loop && loop.holdsOnThisThread()) {
            selector.submit(selected -> work.run());
        } else {
            work.run();
        }
    }

    /**
     * Writes at the end of the selector's turn (see {@link TurnEnd}): the answers to every request
     * the turn read then reach the clients back to back. A write or flush that comes meanwhile (a
     * protocol switch writes its first frames right after the 101) sends the held one first, so the
     * bytes keep their order.
     */
    @Override
    public void write(Callback callback, ByteBuffer... buffers) throws WritePendingException {
        sendHeld();
        if (selector instanceof LoopSelector loop && loop.holdsOnThisThread()) {
            held.set(new HeldWrite(callback, buffers));
            selector.submit(sendHeld);
        } else {
            super.write(callback, buffers);
        }
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        sendHeld();
        return super.flush(buffers);
    }

    @Override
    protected void doShutdownOutput() {
        sendHeld();
        super.doShutdownOutput();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        // fails its callback: the end point is closed
        sendHeld();
    }

    /**
     * Writes now, without waiting for the end of the turn: for a caller that already runs there
     * (a selector update), where holding the write would cost the selector a wake-up.
     */
    void writeAtOnce(Callback callback, ByteBuffer... buffers) {
        sendHeld();
        super.write(callback, buffers);
    }

    private void sendHeld() {
        HeldWrite write = held.getAndSet(null);
        if (write != null) {
            super.write(write.callback(), write.buffers());
        }
    }

    private record HeldWrite(Callback callback, ByteBuffer[] buffers) {
    }

    @Override
    protected void needsFillInterest() {
        if (peeked != null) {
            // the byte read ahead is there to read, and the socket may hold nothing more to report
            executor.execute(getFillInterest()::fillable);
            return;
        }
        want(SelectionKey.OP_READ);
    }

    @Override
    protected void onIncompleteFlush() {
        want(SelectionKey.OP_WRITE);
    }

    @Override
    public Callback cancelWrite(Throwable cause) {
        HeldWrite write = held.getAndSet(null);
        if (write != null) {
            // never sent: its buffers go back to their owners, and must not go out at the turn's end
            return write.callback();
        }
        // Jetty's own removal changes only its unused bookkeeping (and may run updateKey, ours)
        Callback cancelled = super.cancelWrite(cause);
        if (cancelled != null) {
            lock.lock();
            try {
                wanted &= ~SelectionKey.OP_WRITE;
            } finally {
                lock.unlock();
            }
            // dropped at the next update; a stray write event meanwhile finds no flush waiting
        }
        return cancelled;
    }

    private void want(int interest) {
        boolean submit;
        lock.lock();
        try {
            wanted |= interest;
            // a key that already watches reports the socket at the next select (epoll is level-triggered)
            submit = !updatePending && (watched & interest) == 0;
            if (submit) {
                updatePending = true;
            }
        } finally {
            lock.unlock();
        }
        if (submit && selector != null) {
            selector.submit(update);
        }
    }

    @Override
    public Runnable onSelected() {
        int ready = key.readyOps();
        boolean readable = (ready & SelectionKey.OP_READ) != 0;
        boolean writable = (ready & SelectionKey.OP_WRITE) != 0;
        if (readable) {
            drained = false;
        }
        boolean awaited;
        lock.lock();
        try {
            updatePending = true;
            awaited = (wanted & SelectionKey.OP_READ) != 0;
            if (readable) {
                keepReading = awaited;
            }
            // the task below serves what was waited on
            wanted &= ~ready;
        } finally {
            lock.unlock();
        }
        if (readable && !awaited && !writable && peerWatch != null) {
            return peek;
        }
        return readable ? (writable ? flushableAndFillable : fillable) : (writable ? flushable : null);
    }

    @Override
    public void updateKey() {
        try {
            lock.lock();
            try {
                updatePending = false;
                int interests = wanted | (keepReading ? SelectionKey.OP_READ : 0);
                if (interests != watched) {
                    watched = interests;
                    key.interestOps(interests);
                }
            } finally {
                lock.unlock();
            }
        } catch (Throwable closed) {
            // a cancelled key or a closed channel: the end point is done, as in Jetty's
            close(closed);
        }
    }

    @Override
    public void replaceKey(SelectionKey newKey) {
        super.replaceKey(newKey);
        this.key = newKey;
    }

    /** Runs {@link #peek} on the selector's thread: a read of one byte, and a watcher that must not block. */
    private final class PeekTask implements Invocable.Task, Closeable {
        @Override
        public void run() {
            peek();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void close() {
            SparingEndPoint.this.close();
        }
    }

    /** What the selector runs for a reported event; closing it (a stopping selector) closes the end point. */
    private final class Task implements Invocable.Task, Closeable {
        private final boolean fill;
        private final boolean flush;

        Task(boolean fill, boolean flush) {
            this.fill = fill;
            this.flush = flush;
        }

        @Override
        public void run() {
            if (flush) {
                getWriteFlusher().completeWrite();
            }
            if (fill) {
                getFillInterest().fillable();
            }
        }

        @Override
        public InvocationType getInvocationType() {
            if (!flush) {
                return getFillInterest().getCallbackInvocationType();
            }
            if (!fill) {
                return getWriteFlusher().getCallbackInvocationType();
            }
            // as Jetty's end point combines them
            InvocationType fillType = getFillInterest().getCallbackInvocationType();
            InvocationType flushType = getWriteFlusher().getCallbackInvocationType();
            if (fillType == flushType) {
                return fillType;
            }
            boolean eitherAndNonBlocking = fillType == InvocationType.EITHER && flushType == InvocationType.NON_BLOCKING
                    || fillType == InvocationType.NON_BLOCKING && flushType == InvocationType.EITHER;
            return eitherAndNonBlocking ? InvocationType.EITHER : InvocationType.BLOCKING;
        }

        @Override
        public void close() {
            SparingEndPoint.this.close();
        }

        @Override
        public String toString() {
            return SparingEndPoint.this + (fill ? ":fill" : "") + (flush ? ":flush" : "");
        }
    }
}
