package io.portico.core.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The client's request body as the core hands it on, noting whether anything began to read it and
 * whether it was read to its end.
 *
 * <p>The gateway may answer before the body is in: a filter refuses it, a limit is passed, the
 * upstream answers early. Jetty then reads what has already arrived and, if the body goes on,
 * closes the connection once the answer is out. An answer that does not say so invites the
 * client to send its next request on a connection about to close, and that request is lost (RFC
 * 9112 9.6: a server that will close sends {@code Connection: close}). So the answer says it.
 */
final class ClientContent implements Content.Source {
    private final Request request;
    private volatile boolean started;
    private volatile boolean ended;

    ClientContent(Request request) {
        this.request = request;
    }

    /**
     * Adds {@code Connection: close} to an HTTP/1 answer when the client's body is neither read
     * to its end nor, being untouched, readable to its end from what has already arrived.
     *
     * @param content the body as handed on, or null when the gateway answers before handing it on
     *                (then there may be none, and Jetty's non-blocking read finds out which)
     */
    static void closeIfUnread(Request request, ClientContent content, HttpFields.Mutable answer) {
        if (content != null && content.ended) {
            return;
        }
        // a body something began to read belongs to that reader; reading it here would race it
        boolean unread = content != null && content.started || !request.consumeAvailable();
        if (unread && request.getConnectionMetaData().getHttpVersion().getVersion() <= HttpVersion.HTTP_1_1.getVersion()) {
            answer.put(HttpHeader.CONNECTION, "close");
        }
    }

    /** Whether the body was read to its end. */
    boolean ended() {
        return ended;
    }

    @Override
    public long getLength() {
        return request.getLength();
    }

    @Override
    public Content.Chunk read() {
        if (!started) {
            started = true;
        }
        Content.Chunk chunk = request.read();
        if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
            ended = true;
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (!started) {
            started = true;
        }
        request.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        request.fail(failure);
    }

    @Override
    public void fail(Throwable failure, boolean last) {
        request.fail(failure, last);
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
