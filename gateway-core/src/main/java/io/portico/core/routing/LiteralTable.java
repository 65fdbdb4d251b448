package io.portico.core.routing;

import java.util.Map;

/**
 * An immutable open-addressing table from strings to slots, looked up by a region of a larger
 * string so that matching a path segment or a host never cuts a substring.
 *
 * <p>Laid out for few cache misses on a large table: per slot, the key's hash, its offset in one
 * shared {@code char[]} and its length sit side by side in one {@code int[]}, and a probe compares
 * the hash before it reads the key. The values live in an array the owner keeps, at the index
 * {@link #find} returns. With {@code ignoreCase}, keys compare without regard to ASCII case (host
 * names are ASCII: an internationalised name arrives in punycode).
 */
final class LiteralTable {
    private static final int STRIDE = 3;

    private final int[] slots;
    private final char[] arena;
    private final int mask;
    private final boolean ignoreCase;

    private LiteralTable(int[] slots, char[] arena, int mask, boolean ignoreCase) {
        this.slots = slots;
        this.arena = arena;
        this.mask = mask;
        this.ignoreCase = ignoreCase;
    }

    /**
     * A table of {@code entries}' keys; each value is stored into {@code values} (which must have
     * {@link #capacity} slots) at its key's slot.
     */
    static <V> LiteralTable of(Map<String, V> entries, boolean ignoreCase, V[] values) {
        int capacity = capacity(entries.size());
        int[] slots = new int[capacity * STRIDE];
        for (int i = 0; i < capacity; i++) {
            slots[i * STRIDE + 2] = -1;
        }
        int chars = 0;
        for (String key : entries.keySet()) {
            chars += key.length();
        }
        char[] arena = new char[chars];
        int offset = 0;
        int mask = capacity - 1;
        LiteralTable table = new LiteralTable(slots, arena, mask, ignoreCase);
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (table.find(key, 0, key.length()) >= 0) {
                throw new IllegalArgumentException("duplicate key " + key);
            }
            int hash = table.hash(key, 0, key.length());
            int slot = hash & mask;
            while (slots[slot * STRIDE + 2] >= 0) {
                slot = (slot + 1) & mask;
            }
            key.getChars(0, key.length(), arena, offset);
            slots[slot * STRIDE] = hash;
            slots[slot * STRIDE + 1] = offset;
            slots[slot * STRIDE + 2] = key.length();
            offset += key.length();
            values[slot] = entry.getValue();
        }
        return table;
    }

    /** The number of slots a table of {@code size} keys has: a power of two, at most half full. */
    static int capacity(int size) {
        return Integer.highestOneBit(Math.max(2, size * 2) - 1) << 1;
    }

    /** The slot of {@code text[from, to)}, or -1 when absent. */
    int find(String text, int from, int to) {
        int length = to - from;
        int hash = hash(text, from, to);
        int[] slots = this.slots;
        int slot = hash & mask;
        while (true) {
            int base = slot * STRIDE;
            int keyLength = slots[base + 2];
            if (keyLength < 0) {
                return -1;
            }
            if (slots[base] == hash && keyLength == length && keyEquals(slots[base + 1], text, from, length)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean keyEquals(int offset, String text, int from, int length) {
        char[] arena = this.arena;
        for (int i = 0; i < length; i++) {
            char a = arena[offset + i];
            char b = text.charAt(from + i);
            if (a != b && !(ignoreCase && lower(a) == lower(b))) {
                return false;
            }
        }
        return true;
    }

    private int hash(String text, int from, int to) {
        int h = 0;
        if (ignoreCase) {
            for (int i = from; i < to; i++) {
                h = 31 * h + lower(text.charAt(i));
            }
        } else {
            for (int i = from; i < to; i++) {
                h = 31 * h + text.charAt(i);
            }
        }
        return h ^ (h >>> 16);
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
