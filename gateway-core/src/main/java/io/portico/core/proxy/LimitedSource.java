package io.portico.core.proxy;

import org.eclipse.jetty.io.Content;

/**
 * Passes a request body on while counting it, and fails it once it passes the route's limit, so
 * a body without {@code Content-Length} is refused while streaming rather than after buffering.
 */
final class LimitedSource implements Content.Source {
    private final Content.Source source;
    private final long limit;
    private long seen;
    private boolean touched;

    LimitedSource(Content.Source source, long limit) {
        this.source = source;
        this.limit = limit;
    }

    /** Whether no byte has been read yet, so another attempt may still send the whole body. */
    boolean untouched() {
        return !touched;
    }

    @Override
    public long getLength() {
        return source.getLength();
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = source.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        // touched even by an empty last chunk, so a retry never resends a body that ended
        touched = true;
        seen += chunk.remaining();
        if (seen > limit) {
            chunk.release();
            BodyTooLargeException failure = new BodyTooLargeException(limit);
            source.fail(failure);
            return Content.Chunk.from(failure, true);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        source.fail(failure);
    }

    /** The request body passed the limit. */
    static final class BodyTooLargeException extends java.io.IOException {
        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes", null);
        }
    }
}
