package io.portico.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered, case-insensitive multimap of HTTP header fields.
 *
 * <p>Names compare without regard to ASCII case, keep the case they were given in, and keep their
 * order. Every change returns a copy; an instance is safe to share between threads.
 */
public final class Headers {
    private static final Headers EMPTY = new Headers(new String[0], 0);

    /** name0, value0, name1, value1, ... Only the first {@code size * 2} slots are used. */
    private final String[] fields;
    private final int size;

    private Headers(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
    }

    /** No fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Fields from alternating names and values: {@code Headers.of("Accept", "text/plain")}.
     *
     * @throws IllegalArgumentException when the count is odd or a name is not a valid token
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** A builder for many fields at once, cheaper than repeated {@code withAdded} copies. */
    public static Builder builder() {
        return new Builder(16);
    }

    /** The number of fields, counting each value of a repeated name. */
    public int size() {
        return size;
    }

    /** Whether there are no fields. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The name of field {@code index}, in the case it was given. */
    public String name(int index) {
        Objects.checkIndex(index, size);
        return fields[index * 2];
    }

    /** The value of field {@code index}. */
    public String value(int index) {
        Objects.checkIndex(index, size);
        return fields[index * 2 + 1];
    }

    /** The first value of {@code name}, or {@code null} when absent. */
    public String first(String name) {
        for (int i = 0; i < size * 2; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** Every value of {@code name} in order; empty when absent. */
    public List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < size * 2; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(fields[i + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /** Whether {@code name} is present. */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** The distinct names, in first-seen order, in the case first seen. */
    public Set<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> lower = new java.util.HashSet<>();
        for (int i = 0; i < size * 2; i += 2) {
            if (lower.add(fields[i].toLowerCase(java.util.Locale.ROOT))) {
                seen.add(fields[i]);
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size * 2; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    /** A copy with {@code name} set to this one value, replacing every earlier value. */
    public Headers with(String name, String value) {
        Builder builder = toBuilder();
        builder.remove(name);
        builder.add(name, value);
        return builder.build();
    }

    /** A copy with one more value of {@code name}, after the existing ones. */
    public Headers withAdded(String name, String value) {
        return toBuilder().add(name, value).build();
    }

    /** A copy without any value of {@code name}; this instance when absent. */
    public Headers without(String name) {
        if (!contains(name)) {
            return this;
        }
        return toBuilder().remove(name).build();
    }

    /** A builder that starts with these fields. */
    public Builder toBuilder() {
        Builder builder = new Builder(Math.max(16, size * 2 + 8));
        System.arraycopy(fields, 0, builder.fields, 0, size * 2);
        builder.size = size;
        return builder;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Headers that && size == that.size
                && Arrays.equals(fields, 0, size * 2, that.fields, 0, size * 2);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size * 2; i++) {
            hash = 31 * hash + fields[i].hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Headers[");
        for (int i = 0; i < size * 2; i += 2) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return text.append(']').toString();
    }

    /** Collects fields, then makes one immutable {@link Headers}. Not thread-safe. */
    public static final class Builder {
        private String[] fields;
        private int size;
        /** Whether a built {@link Headers} reads {@code fields}. */
        private boolean shared;

        private Builder(int capacity) {
            this.fields = new String[capacity];
        }

        /**
         * Adds one field after the others.
         *
         * @throws IllegalArgumentException when the name is not an HTTP token, or the value holds
         *                                  CR, LF or NUL
         */
        public Builder add(String name, String value) {
            checkName(name);
            checkValue(name, value);
            if (size * 2 + 2 > fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
                shared = false;
            }
            fields[size * 2] = name;
            fields[size * 2 + 1] = value;
            size++;
            return this;
        }

        /** Sets {@code name} to one value, replacing earlier ones. */
        public Builder set(String name, String value) {
            return remove(name).add(name, value);
        }

        /** Removes every value of {@code name}. */
        public Builder remove(String name) {
            int first = 0;
            while (first < size && !fields[first * 2].equalsIgnoreCase(name)) {
                first++;
            }
            if (first == size) {
                return this;
            }
            if (shared) {
                // a built Headers reads the front of this array: change a copy
                fields = fields.clone();
                shared = false;
            }
            int kept = first;
            for (int i = first + 1; i < size; i++) {
                if (!fields[i * 2].equalsIgnoreCase(name)) {
                    fields[kept * 2] = fields[i * 2];
                    fields[kept * 2 + 1] = fields[i * 2 + 1];
                    kept++;
                }
            }
            Arrays.fill(fields, kept * 2, size * 2, null);
            size = kept;
            return this;
        }

        /** The fields collected so far. The builder may be used again afterwards. */
        public Headers build() {
            if (size == 0) {
                return EMPTY;
            }
            // no copy: the Headers reads only its first size * 2 slots, which add() never writes
            // again and remove() changes only in a copy
            shared = true;
            return new Headers(fields, size);
        }

        // below this length one pass over the characters is cheaper than three vectorised searches,
        // whose set-up dominates for the short values most headers have (a profile of the plain
        // route put 0.6% of the gateway's CPU in the three indexOf calls of six short values)
        private static final int SHORT_VALUE = 64;

        // the separators of RFC 9110 (token), as bits: "(),/:;<=>?@[\]{}, looked up without a scan per character
        private static final long SEPARATORS_LOW = bits("\"(),/:;<=>?", 0);
        private static final long SEPARATORS_HIGH = bits("@[\\]{}", 64);

        private static long bits(String characters, int offset) {
            long bits = 0;
            for (char c : characters.toCharArray()) {
                bits |= 1L << (c - offset);
            }
            return bits;
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a header name must not be empty");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 127 || (c < 64 ? (SEPARATORS_LOW >>> c & 1) != 0 : (SEPARATORS_HIGH >>> (c - 64) & 1) != 0)) {
                    throw new IllegalArgumentException("not a valid header name: '" + name + "'");
                }
            }
        }

        private static void checkValue(String name, String value) {
            if (value == null) {
                throw new IllegalArgumentException("header " + name + " has no value");
            }
            if (value.length() < SHORT_VALUE ? holdsLineBreakOrNul(value)
                    // indexOf is vectorised by the JIT: a long token or cookie costs little
                    : value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf(0) >= 0) {
                throw new IllegalArgumentException("header " + name + " holds CR, LF or NUL");
            }
        }

        private static boolean holdsLineBreakOrNul(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= '\r' && (c == '\n' || c == '\r' || c == 0)) {
                    return true;
                }
            }
            return false;
        }
    }
}
