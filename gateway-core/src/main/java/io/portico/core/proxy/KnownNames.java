package io.portico.core.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's {@link HttpHeader} constants, found by the bytes of a field name without regard to case:
 * a hash table keyed by a hash that the parser computes while it checks the name's characters, so
 * a lookup is one probe and one comparison.
 */
final class KnownNames {
    /** Each byte's lower case where it may stand in a field name (a token character), else 0. */
    private static final byte[] TOKEN_LOWER = tokenLower();
    private static final HttpHeader[] HEADERS;
    private static final byte[][] LOWER;
    private static final byte[][] SPELLING;
    private static final int MASK;

    static {
        HttpHeader[] names = Arrays.stream(HttpHeader.values())
                .filter(header -> header.asString().charAt(0) != ':')
                .toArray(HttpHeader[]::new);
        int size = Integer.highestOneBit(names.length * 4);
        HEADERS = new HttpHeader[size];
        LOWER = new byte[size][];
        SPELLING = new byte[size][];
        MASK = size - 1;
        for (HttpHeader header : names) {
            byte[] spelling = header.asString().getBytes(StandardCharsets.US_ASCII);
            byte[] lower = new byte[spelling.length];
            int hash = 0;
            for (int i = 0; i < spelling.length; i++) {
                lower[i] = TOKEN_LOWER[spelling[i] & 0xFF];
                hash = step(hash, lower[i]);
            }
            int slot = hash & MASK;
            while (HEADERS[slot] != null) {
                slot = (slot + 1) & MASK;
            }
            HEADERS[slot] = header;
            LOWER[slot] = lower;
            SPELLING[slot] = spelling;
        }
    }

    private KnownNames() {
    }

    /** The byte in lower case if it is a token character, else 0. */
    static byte tokenLower(byte b) {
        return TOKEN_LOWER[b & 0xFF];
    }

    /** The hash of a name so far, given its next character in lower case. */
    static int step(int hash, byte lower) {
        return 31 * hash + lower;
    }

    /** The slot of the constant whose name these bytes spell in any case, or -1. */
    static int find(byte[] bytes, int start, int length, int hash) {
        for (int slot = hash & MASK; HEADERS[slot] != null; slot = (slot + 1) & MASK) {
            byte[] name = LOWER[slot];
            if (name.length == length && sameLetters(bytes, start, name)) {
                return slot;
            }
        }
        return -1;
    }

    static HttpHeader header(int slot) {
        return slot < 0 ? null : HEADERS[slot];
    }

    /** Whether the bytes spell the constant's name exactly as Jetty does. */
    static boolean spelledAsJetty(int slot, byte[] bytes, int start) {
        return Arrays.equals(bytes, start, start + SPELLING[slot].length, SPELLING[slot], 0, SPELLING[slot].length);
    }

    private static boolean sameLetters(byte[] bytes, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if (TOKEN_LOWER[bytes[start + i] & 0xFF] != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tokenLower() {
        byte[] lower = new byte[256];
        for (char c = '0'; c <= '9'; c++) {
            lower[c] = (byte) c;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            lower[c] = (byte) c;
            lower[c - 32] = (byte) c;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            lower[c] = (byte) c;
        }
        return lower;
    }
}
