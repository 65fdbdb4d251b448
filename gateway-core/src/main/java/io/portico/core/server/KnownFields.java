package io.portico.core.server;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty fields for the headers of an answer. {@code new HttpField(name, value)} finds the name's
 * {@link HttpHeader} by walking a case-insensitive trie for every field of every answer (0.6% of
 * the plain route's CPU); the names an upstream's answer carries are mostly Jetty's own constants,
 * whose hash codes are cached, so a hash lookup by exact name is cheaper, and the trie is left for
 * names in another case or unknown to Jetty. A name whose first letter and length no header of
 * Jetty's has (a filter's {@code RateLimit-Remaining}, {@code X-Request-Id}) skips both.
 */
final class KnownFields {
    private static final Map<String, HttpHeader> HEADERS = byName();
    /** By first letter (a to z, either case), a bit per length of Jetty's headers with it; 63 for longer. */
    private static final long[] LENGTHS = lengthsByFirstLetter();

    private KnownFields() {
    }

    static HttpField of(String name, String value) {
        if (!mayBeKnown(name)) {
            return new HttpField((HttpHeader) null, name, value);
        }
        HttpHeader header = HEADERS.get(name);
        return header == null ? new HttpField(name, value) : new HttpField(header, name, value);
    }

    private static boolean mayBeKnown(String name) {
        int letter = (name.isEmpty() ? 0 : name.charAt(0) | 0x20) - 'a';
        return letter < 0 || letter >= LENGTHS.length || (LENGTHS[letter] >>> Math.min(name.length(), 63) & 1) != 0;
    }

    private static Map<String, HttpHeader> byName() {
        Map<String, HttpHeader> headers = new HashMap<>();
        for (HttpHeader header : HttpHeader.values()) {
            headers.put(header.asString(), header);
        }
        return Map.copyOf(headers);
    }

    private static long[] lengthsByFirstLetter() {
        long[] lengths = new long[26];
        for (HttpHeader header : HttpHeader.values()) {
            String name = header.asString();
            int letter = (name.charAt(0) | 0x20) - 'a';
            if (letter >= 0 && letter < lengths.length) {
                lengths[letter] |= 1L << Math.min(name.length(), 63);
            }
        }
        return lengths;
    }
}
