package io.portico.core.proxy;

import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/** A client's request body handed to jetty-client as the upstream request's content, unbuffered. */
final class SourceContent implements Request.Content {
    private final Content.Source source;
    private final long length;
    private final String contentType;

    SourceContent(Content.Source source, long length, String contentType) {
        this.source = source;
        this.length = length;
        this.contentType = contentType;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public Content.Chunk read() {
        return source.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    /**
     * jetty-client fails the content when its attempt fails, even one that never connected. The
     * client's body must survive that, so another attempt can still send it; the gateway answers
     * the client itself, and the server disposes of a body nobody read.
     */
    @Override
    public void fail(Throwable failure) {
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
