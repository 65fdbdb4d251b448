package io.portico.core.proxy;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.AutoLock;

/**
 * The body of one upstream answer as it is parsed off an {@link UpstreamConnection}: at most one
 * chunk waits to be read at a time, and its bytes are a view of the connection's input buffer, so
 * the connection reads on only once the reader released it.
 */
final class UpstreamBody implements Content.Source {
    private final AutoLock lock = new AutoLock();
    private final UpstreamConnection connection;
    private final Object exchange;
    private final long length;
    private Content.Chunk waiting;
    private Runnable demand;
    private boolean ended;
    private Throwable failure;

    UpstreamBody(UpstreamConnection connection, Object exchange, long length) {
        this.connection = connection;
        this.exchange = exchange;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public Content.Chunk read() {
        try (AutoLock ignored = lock.lock()) {
            if (failure != null) {
                return Content.Chunk.from(failure, true);
            }
            Content.Chunk chunk = waiting;
            if (chunk != null) {
                waiting = null;
                if (chunk.isLast()) {
                    ended = true;
                }
                return chunk;
            }
            return ended ? Content.Chunk.EOF : null;
        }
    }

    @Override
    public void demand(Runnable callback) {
        boolean now;
        try (AutoLock ignored = lock.lock()) {
            now = waiting != null || ended || failure != null;
            if (!now) {
                demand = callback;
            }
        }
        if (now) {
            callback.run();
        }
    }

    /** The reader gives up (the client went away): the connection cannot be reused mid-answer. */
    @Override
    public void fail(Throwable cause) {
        Content.Chunk dropped;
        try (AutoLock ignored = lock.lock()) {
            if (failure != null || ended) {
                return;
            }
            failure = cause;
            dropped = waiting;
            waiting = null;
        }
        if (dropped != null) {
            dropped.release();
        }
        connection.abandon(exchange, cause);
    }

    /** Hands the next chunk to the reader, and wakes it if it waits. */
    void offer(Content.Chunk chunk) {
        Runnable wake = null;
        boolean refused;
        try (AutoLock ignored = lock.lock()) {
            refused = failure != null;
            if (!refused) {
                waiting = chunk;
                wake = demand;
                demand = null;
            }
        }
        if (refused) {
            chunk.release();
        } else if (wake != null) {
            wake.run();
        }
    }

    /** The upstream failed mid-answer: the reader gets the failure instead of more content. */
    void failFromUpstream(Throwable cause) {
        Runnable wake;
        Content.Chunk dropped;
        try (AutoLock ignored = lock.lock()) {
            if (failure != null || ended && waiting == null) {
                return;
            }
            failure = cause;
            dropped = waiting;
            waiting = null;
            wake = demand;
            demand = null;
        }
        if (dropped != null) {
            dropped.release();
        }
        if (wake != null) {
            wake.run();
        }
    }
}
