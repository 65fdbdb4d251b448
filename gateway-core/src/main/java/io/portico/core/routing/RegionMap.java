package io.portico.core.routing;

import java.util.Map;

/**
 * An immutable open-addressing map from strings to values, looked up by a region of a larger
 * string, so that matching a path segment or a host suffix never cuts a substring.
 *
 * <p>With {@code ignoreCase} the keys are stored in lower case and compared without regard to
 * ASCII case (host names are ASCII: an internationalised name arrives in punycode).
 */
final class RegionMap<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final boolean ignoreCase;

    RegionMap(Map<String, V> entries, boolean ignoreCase) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2) - 1) << 1;
        this.keys = new String[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        this.ignoreCase = ignoreCase;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            String key = ignoreCase ? lower(entry.getKey()) : entry.getKey();
            int slot = hash(key, 0, key.length()) & mask;
            while (keys[slot] != null) {
                if (keys[slot].equals(key)) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = entry.getValue();
        }
    }

    /** The value for {@code text[from, to)}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(String text, int from, int to) {
        int length = to - from;
        int slot = hash(text, from, to) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (key.length() == length && key.regionMatches(ignoreCase, 0, text, from, length)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private int hash(String text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            h = 31 * h + c;
        }
        return h ^ (h >>> 16);
    }

    private static String lower(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }
}
