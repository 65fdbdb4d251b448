package io.portico.plugins.cache;

import io.portico.api.Body;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * A response body read up to a bound. When it fits, {@link #bytes} holds all of it; when it does
 * not, {@link #passOn} is a body that replays what was read and then streams the rest, so the
 * client gets every byte and the cache holds none.
 */
final class CapturedBody {
    private final byte[] read;
    private final InputStream rest;

    private CapturedBody(byte[] read, InputStream rest) {
        this.read = read;
        this.rest = rest;
    }

    /** Reads at most {@code bound + 1} bytes: one more than fits tells that it does not. */
    static CapturedBody read(Body body, long bound) throws IOException {
        InputStream in = body.stream();
        byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, bound + 1));
        if (read.length <= bound) {
            in.close();
            return new CapturedBody(read, null);
        }
        return new CapturedBody(read, in);
    }

    boolean fits() {
        return rest == null;
    }

    /** The whole body, when it {@link #fits}. */
    byte[] bytes() {
        return read;
    }

    /** A body of unknown length: what was read, then the rest as it arrives. */
    Body passOn() {
        return new Body() {
            private boolean taken;

            @Override
            public long length() {
                return -1;
            }

            @Override
            public synchronized InputStream stream() {
                if (taken) {
                    throw new IllegalStateException("the body was already read");
                }
                taken = true;
                return new SequenceInputStream(new ByteArrayInputStream(read), rest);
            }

            @Override
            public byte[] bytes() throws IOException {
                try (InputStream in = stream()) {
                    return in.readAllBytes();
                }
            }
        };
    }
}
