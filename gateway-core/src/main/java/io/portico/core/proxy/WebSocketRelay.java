package io.portico.core.proxy;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One side of a proxied WebSocket: what it receives it sends to its peer, and it asks for the
 * next frame only once the peer took this one, so a slow reader slows the sender instead of
 * filling memory. Messages stream as partial frames; nothing is assembled whole. Public only
 * because Jetty invokes its methods reflectively.
 */
public final class WebSocketRelay implements Session.Listener {
    private final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final WebSocketRelay linkOnOpen;
    private volatile WebSocketRelay peer;
    private volatile Session session;

    /** A side that waits to be linked. */
    WebSocketRelay() {
        this(null);
    }

    /** A side that links itself to {@code other} (already open) as soon as it opens. */
    WebSocketRelay(WebSocketRelay other) {
        this.linkOnOpen = other;
    }

    CompletableFuture<Session> opened() {
        return opened;
    }

    Session session() {
        return session;
    }

    /** Links two opened relays and starts the flow both ways. */
    static void link(WebSocketRelay one, WebSocketRelay other) {
        one.peer = other;
        other.peer = one;
        one.session.demand();
        other.session.demand();
    }

    @Override
    public void onWebSocketOpen(Session opening) {
        this.session = opening;
        opened.complete(opening);
        if (linkOnOpen != null) {
            link(this, linkOnOpen);
        }
    }

    @Override
    public void onWebSocketPartialText(String text, boolean last) {
        peer.session.sendPartialText(text, last, Callback.from(session::demand, this::fail));
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
        peer.session.sendPartialBinary(payload, last, Callback.from(() -> {
            callback.succeed();
            session.demand();
        }, failure -> {
            callback.fail(failure);
            fail(failure);
        }));
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        peer.session.sendPing(payload, Callback.from(session::demand, this::fail));
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        peer.session.sendPong(payload, Callback.from(session::demand, this::fail));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        WebSocketRelay other = peer;
        if (other != null && other.session != null && other.session.isOpen()) {
            other.session.close(closable(statusCode), reason, Callback.NOOP);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        opened.completeExceptionally(cause);
        fail(cause);
    }

    private void fail(Throwable cause) {
        WebSocketRelay other = peer;
        if (other != null && other.session != null && other.session.isOpen()) {
            other.session.close(StatusCode.SERVER_ERROR, "proxied connection failed", Callback.NOOP);
        }
        if (session != null && session.isOpen()) {
            session.close(StatusCode.SERVER_ERROR, "proxied connection failed", Callback.NOOP);
        }
    }

    /** Codes that may not be sent in a close frame become "normal" or "going away". */
    private static int closable(int statusCode) {
        return switch (statusCode) {
            case StatusCode.NO_CODE, StatusCode.NO_CLOSE, StatusCode.FAILED_TLS_HANDSHAKE, StatusCode.UNDEFINED ->
                    StatusCode.NORMAL;
            default -> statusCode;
        };
    }
}
