package io.portico.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A body that counts what is read of it and refuses more than a limit: see {@link Body#limit}. */
record LimitedBody(Body body, long maxBytes) implements Body {

    static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(413, "BODY_TOO_LARGE", "Content Too Large",
                "the request body is larger than the " + maxBytes + " bytes this route accepts");
    }

    @Override
    public long length() {
        return body.length();
    }

    @Override
    public InputStream stream() {
        return new FilterInputStream(body.stream()) {
            private long seen;

            @Override
            public int read() throws IOException {
                int value = super.read();
                if (value >= 0) {
                    count(1);
                }
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                if (read > 0) {
                    count(read);
                }
                return read;
            }

            private void count(int bytes) {
                seen += bytes;
                if (seen > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            }
        };
    }

    @Override
    public byte[] bytes() throws IOException {
        try (InputStream in = stream()) {
            return in.readAllBytes();
        }
    }
}
