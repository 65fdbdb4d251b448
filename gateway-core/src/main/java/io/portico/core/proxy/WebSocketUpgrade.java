package io.portico.core.proxy;

import io.portico.api.Body;
import java.io.InputStream;

/**
 * The answer of the upstream call to a WebSocket upgrade: the upstream side is connected; the
 * server completes the client side's upgrade and links the two. Not a body anyone can read.
 */
public final class WebSocketUpgrade implements Body {
    private final WebSocketRelay upstream;
    private final String subProtocol;

    WebSocketUpgrade(WebSocketRelay upstream, String subProtocol) {
        this.upstream = upstream;
        this.subProtocol = subProtocol;
    }

    /** The subprotocol the upstream accepted, or {@code null}. */
    public String subProtocol() {
        return subProtocol;
    }

    /** A fresh listener for the client's side, linked to the upstream side once opened. */
    public Object clientEndpoint() {
        return new WebSocketRelay(upstream);
    }

    /** Closes the upstream side when the client's side could not be upgraded. */
    public void abandon() {
        if (upstream.session() != null) {
            upstream.session().close();
        }
    }

    @Override
    public long length() {
        return 0;
    }

    @Override
    public InputStream stream() {
        throw new IllegalStateException("a WebSocket upgrade has no body");
    }

    @Override
    public byte[] bytes() {
        throw new IllegalStateException("a WebSocket upgrade has no body");
    }
}
