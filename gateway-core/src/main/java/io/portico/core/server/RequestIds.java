package io.portico.core.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the client's {@code X-Request-Id} when it is a sane token, otherwise 128 random
 * bits in hex. Random rather than a counter, so ids from several nodes never collide.
 */
final class RequestIds {
    /** The field that carries the request id. */
    static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    static String keepOrCreate(String inbound) {
        if (inbound != null && isSane(inbound)) {
            return inbound;
        }
        return create();
    }

    static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (high >>> (60 - i * 4)) & 0xF];
            out[16 + i] = HEX[(int) (low >>> (60 - i * 4)) & 0xF];
        }
        return new String(out);
    }

    private static boolean isSane(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
                    || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
