package io.portico.core.proxy;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/** Hears how one exchange on an {@link UpstreamConnection} goes; called on whichever thread moved it on. */
interface UpstreamListener {

    /** The answer's status and headers arrived; its body follows through {@code body}. */
    void onHeaders(int status, HttpFields fields, Content.Source body);

    /**
     * The exchange failed.
     *
     * @param answered whether {@link #onHeaders} was called before (the body then carries the failure)
     */
    void onFailure(Throwable failure, boolean answered);

    /** The whole answer was read (or its reader gave up on it). */
    void onComplete();
}
