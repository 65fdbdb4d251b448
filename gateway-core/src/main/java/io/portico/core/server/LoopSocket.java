package io.portico.core.server;

import io.portico.api.SocketConnection;
import io.portico.api.SocketReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A plugin's TCP connection ({@link io.portico.api.Sockets}) on the gateway's selectors. Bytes read
 * go to the plugin's reader on the selecting thread. Writes are gathered and sent by a selector
 * update: a selector runs its updates after the tasks of the keys it selected, so every write one
 * turn of the loop made (say, the Redis calls of all the requests it read) goes out in one writev,
 * instead of one system call per write. A {@link #writeLater} write is asked for its bytes only then,
 * outside the lock, so a plugin can merge what the turn's requests asked of it.
 */
final class LoopSocket extends AbstractConnection.NonBlocking implements SocketConnection {
    private static final int INITIAL_INPUT = 8 * 1024;
    private static final int MAX_INPUT = 16 * 1024 * 1024;

    private final SocketReader reader;
    private final ManagedSelector selector;
    private final ManagedSelector.SelectorUpdate flushUpdate = selected -> flushUpdate();
    private final Callback written = new Written();
    private final AtomicBoolean told = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    /** Buffers and {@link #writeLater} suppliers, in the order they were written. */
    private final List<Object> pending = new ArrayList<>();
    private boolean flushSubmitted;
    private boolean writing;
    private volatile boolean open = true;
    // in Jetty's flush mode: the bytes between position and limit are the ones not yet taken
    private ByteBuffer input = BufferUtil.allocate(INITIAL_INPUT);

    LoopSocket(EndPoint endPoint, Executor executor, SocketReader reader) {
        super(endPoint, executor);
        this.reader = reader;
        this.selector = endPoint instanceof SparingEndPoint sparing ? sparing.selector() : null;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // a plugin's connection is long-lived (a Redis connection idles between bursts); the
        // upstream connector's idle time-out would close it under a call written at that moment
        getEndPoint().setIdleTimeout(0);
        fillInterested();
    }

    @Override
    public void onFillable() {
        try {
            while (true) {
                if (input.remaining() == input.capacity() && !grow()) {
                    getEndPoint().close(new IOException("a message larger than " + MAX_INPUT + " bytes"));
                    return;
                }
                int filled = getEndPoint().fill(input);
                if (filled > 0) {
                    reader.onBytes(input);
                } else if (filled == 0) {
                    fillInterested();
                    return;
                } else {
                    getEndPoint().close();
                    return;
                }
            }
        } catch (Throwable failure) {
            getEndPoint().close(failure);
        }
    }

    /** Doubles the input buffer, keeping what was not yet taken; false past the largest allowed. */
    private boolean grow() {
        if (input.capacity() >= MAX_INPUT) {
            return false;
        }
        ByteBuffer larger = BufferUtil.allocate(Math.min(MAX_INPUT, input.capacity() * 2));
        BufferUtil.append(larger, input);
        input = larger;
        return true;
    }

    @Override
    public void write(ByteBuffer bytes) {
        add(bytes);
    }

    @Override
    public void writeLater(Supplier<ByteBuffer> bytes) {
        add(bytes);
    }

    private void add(Object bytes) {
        boolean submit;
        lock.lock();
        try {
            if (!open) {
                return;
            }
            pending.add(bytes);
            submit = !flushSubmitted && !writing;
            flushSubmitted |= submit;
        } finally {
            lock.unlock();
        }
        if (submit) {
            submitFlush();
        }
    }

    /** Flushes after the selector's current turn (at once where the end point has no selector of ours). */
    private void submitFlush() {
        if (selector != null) {
            selector.submit(flushUpdate);
        } else {
            flushUpdate();
        }
    }

    private void flushUpdate() {
        Object[] taken;
        lock.lock();
        try {
            flushSubmitted = false;
            if (writing || pending.isEmpty()) {
                return;
            }
            taken = pending.toArray();
            pending.clear();
            writing = true;
        } finally {
            lock.unlock();
        }
        ByteBuffer[] out;
        try {
            out = buffers(taken);
        } catch (Throwable failure) {
            // a plugin's supplier broke: its protocol is out of step, so the connection goes (and
            // with it every later write, rather than wait behind a write that never ends)
            getEndPoint().close(failure);
            return;
        }
        if (out.length == 0) {
            // only suppliers that had nothing to send: done with this write
            written.succeeded();
            return;
        }
        if (getEndPoint() instanceof SparingEndPoint sparing) {
            // this runs at the end of the turn already
            sparing.writeAtOnce(written, out);
        } else {
            getEndPoint().write(written, out);
        }
    }

    /** The buffers to send, the suppliers among them asked now (outside the lock: they take their own). */
    @SuppressWarnings("unchecked")
    private static ByteBuffer[] buffers(Object[] taken) {
        int count = 0;
        for (int i = 0; i < taken.length; i++) {
            ByteBuffer bytes = taken[i] instanceof ByteBuffer buffer ? buffer : ((Supplier<ByteBuffer>) taken[i]).get();
            if (bytes != null && bytes.hasRemaining()) {
                taken[count++] = bytes;
            }
        }
        ByteBuffer[] out = new ByteBuffer[count];
        System.arraycopy(taken, 0, out, 0, count);
        return out;
    }

    @Override
    public boolean isOpen() {
        return open && getEndPoint().isOpen();
    }

    @Override
    public void onClose(Throwable cause) {
        open = false;
        lock.lock();
        try {
            pending.clear();
        } finally {
            lock.unlock();
        }
        super.onClose(cause);
        if (told.compareAndSet(false, true)) {
            reader.onClosed(cause);
        }
    }

    /**
     * Once the socket took the last write (at once, inside {@code write}, or later), what was
     * written meanwhile goes with the next turn's flush: sending it from here would recurse, write
     * by write, while other threads keep writing, and hold this selector from its other work.
     */
    private final class Written implements Callback {
        @Override
        public void succeeded() {
            boolean submit;
            lock.lock();
            try {
                writing = false;
                submit = !pending.isEmpty() && !flushSubmitted;
                flushSubmitted |= submit;
            } finally {
                lock.unlock();
            }
            if (submit) {
                submitFlush();
            }
        }

        @Override
        public void failed(Throwable failure) {
            getEndPoint().close(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
