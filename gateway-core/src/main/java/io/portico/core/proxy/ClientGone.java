package io.portico.core.proxy;

/**
 * Tells the upstream call that the client went away before its answer (it closed its connection
 * while the request was handled): the call in progress is abandoned, the upstream's connection
 * closed so the upstream can stop working on it, and a call that starts later is abandoned at once.
 * Made per request by the server, for the connections it can watch.
 */
public final class ClientGone {
    private Runnable onGone;
    private boolean gone;

    /** Says the client is gone; the first call abandons what is in progress, later ones do nothing. */
    public void signal() {
        Runnable action;
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            action = onGone;
            onGone = null;
        }
        if (action != null) {
            action.run();
        }
    }

    /** Runs {@code abandon} when the client goes, at once if it has; replaces an earlier attempt's. */
    void whenGone(Runnable abandon) {
        synchronized (this) {
            if (!gone) {
                onGone = abandon;
                return;
            }
        }
        abandon.run();
    }

    /** The failure an abandoned call ends with: the client's doing, so no target is blamed and nothing retried. */
    static final class ClientGoneException extends LimitedSource.ClientBodyException {
        ClientGoneException() {
            super("the client closed its connection before its answer");
        }
    }
}
