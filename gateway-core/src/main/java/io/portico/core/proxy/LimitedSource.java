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
        if (chunk == null) {
            return null;
        }
        if (Content.Chunk.isFailure(chunk)) {
            // the client's side failed (its body ended early, or it went away): the upstream's
            // connection ends with it, and that says nothing about the upstream
            return chunk.getFailure() instanceof ClientBodyException ? chunk
                    : Content.Chunk.from(new ClientBodyException(chunk.getFailure()), chunk.isLast());
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

    /** The request body failed on the client's side: nothing to hold against the upstream. */
    static class ClientBodyException extends java.io.IOException {
        ClientBodyException(Throwable cause) {
            super("the request body failed: " + cause, cause);
        }

        ClientBodyException(String message) {
            super(message);
        }
    }

    /** The request body passed the limit. */
    static final class BodyTooLargeException extends ClientBodyException {
        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes");
        }
    }
}
