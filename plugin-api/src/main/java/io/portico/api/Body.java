package io.portico.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The content of a request or a response. It streams by default: the gateway forwards it without
 * holding it in memory, unless a filter asks for it whole.
 *
 * <p>A body can be read once: {@link #stream()}, {@link #bytes()} and {@link #text()} each consume
 * it. A filter that reads a body and still wants it forwarded passes a copy made with
 * {@link Body#of(byte[])} on in a {@code withBody} copy of its request or response.
 */
public interface Body {

    /** The length in bytes when known in advance, otherwise {@code -1}. */
    long length();

    /**
     * Whether this body is known to hold no bytes. A body of unknown length is not known to be
     * empty.
     */
    default boolean isEmpty() {
        return length() == 0;
    }

    /**
     * The content as a stream, which can be taken once.
     *
     * @throws IllegalStateException when the body was already consumed
     */
    InputStream stream();

    /**
     * The whole content, read into memory, bounded by the route's body limit.
     *
     * @throws ProblemException with status 413 when the content is larger than the limit
     * @throws IOException when the client or upstream broke off while sending it
     */
    byte[] bytes() throws IOException;

    /** The whole content as UTF-8 text, bounded as {@link #bytes()} is. */
    default String text() throws IOException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * This body, refused once it passes {@code maxBytes}: while it streams, not after buffering.
     * When the length is declared and already larger, the refusal is immediate. The refusal is a
     * {@link ProblemException} with status 413, thrown here or raised while the body is read or
     * forwarded; the gateway answers the client with it. Does not consume this body: use the
     * returned one in its place.
     *
     * @throws ProblemException with status 413 when the declared length is over the limit
     */
    default Body limit(long maxBytes) {
        if (length() > maxBytes) {
            throw LimitedBody.tooLarge(maxBytes);
        }
        return new LimitedBody(this, maxBytes);
    }

    /** A body with no content. */
    static Body empty() {
        return ByteBody.EMPTY;
    }

    /** A body holding these bytes (not copied: do not change the array afterwards). */
    static Body of(byte[] content) {
        return new ByteBody(content);
    }

    /** A body holding this text as UTF-8. */
    static Body of(String text) {
        return new ByteBody(text.getBytes(StandardCharsets.UTF_8));
    }
}

/** A body already in memory. It can be read any number of times. */
record ByteBody(byte[] content) implements Body {
    static final ByteBody EMPTY = new ByteBody(new byte[0]);

    @Override
    public long length() {
        return content.length;
    }

    @Override
    public InputStream stream() {
        return new ByteArrayInputStream(content);
    }

    @Override
    public byte[] bytes() {
        return content;
    }
}
