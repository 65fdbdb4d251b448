package io.portico.core.proxy;

import io.portico.api.Body;
import io.portico.api.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;

/**
 * A body still on the wire: the client's request content, or the upstream's response content. The
 * core forwards it chunk by chunk without copying; a filter that asks for it whole reads it up to
 * the route's buffer limit.
 */
public final class StreamedBody implements Body {
    private final Content.Source source;
    private final long length;
    private final long bufferLimit;
    private final AtomicBoolean taken = new AtomicBoolean();

    /**
     * @param source      where the content comes from
     * @param length      the declared length, or -1
     * @param bufferLimit the most {@link #bytes()} may read into memory
     */
    public StreamedBody(Content.Source source, long length, long bufferLimit) {
        this.source = source;
        this.length = length;
        this.bufferLimit = bufferLimit;
    }

    @Override
    public long length() {
        return length;
    }

    /** Takes the source for forwarding as is; the body counts as consumed afterwards. */
    public Content.Source take() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("the body was already read");
        }
        return source;
    }

    /** Whether nothing has read this body yet. */
    public boolean untouched() {
        return !taken.get();
    }

    @Override
    public InputStream stream() {
        return Content.Source.asInputStream(take());
    }

    @Override
    public byte[] bytes() throws IOException {
        if (length > bufferLimit) {
            throw tooLarge();
        }
        try (InputStream in = stream()) {
            byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bufferLimit + 1));
            if (content.length > bufferLimit) {
                throw tooLarge();
            }
            return content;
        }
    }

    /** Still a streamed body, so the core forwards it without copying, counted on the way. */
    @Override
    public Body limit(long maxBytes) {
        if (length > maxBytes) {
            throw new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large",
                    "the request body is larger than the " + maxBytes + " bytes this route accepts");
        }
        return new StreamedBody(new LimitedSource(take(), maxBytes), length, Math.min(bufferLimit, maxBytes));
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large",
                "the body is larger than the " + bufferLimit + " bytes a filter may read whole");
    }
}
