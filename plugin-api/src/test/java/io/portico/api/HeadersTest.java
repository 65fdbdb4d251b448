package io.portico.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {
    @Test
    void namesAreTokens() {
        for (char separator : "\"(),/:;<=>?@[\\]{} \t".toCharArray()) {
            assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("a" + separator + "b", "v"),
                    "a name with " + separator);
        }
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("naïve", "v"));
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("", "v"));
        Headers headers = Headers.builder().add("x_y.z~!#$%&'*+-^`|", "v").build();
        assertEquals("v", headers.first("X_Y.Z~!#$%&'*+-^`|"));
    }

    @Test
    void valuesHoldNoLineBreaks() {
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("X-A", "one\r\nX-B: two"));
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("X-A", "nul\0"));
        assertEquals("tab\tand spaces", Headers.builder().add("X-A", "tab\tand spaces").build().first("x-a"));
    }

    @Test
    void lineBreaksAndNulAreFoundInShortAndLongValues_whereverTheyStand() {
        // short values are checked in one pass, long ones by searches: both ways, at both ends
        for (int length : new int[] {1, 2, 63, 64, 65, 300}) {
            for (char bad : new char[] {'\r', '\n', '\0'}) {
                for (int at : new int[] {0, length / 2, length - 1}) {
                    char[] value = "v".repeat(length).toCharArray();
                    value[at] = bad;
                    assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("X-A", new String(value)),
                            "length " + length + ", " + (int) bad + " at " + at);
                }
            }
            String fine = "\t\u000b\u000c\u000e é~".repeat(length).substring(0, length);
            assertEquals(fine, Headers.builder().add("X-A", fine).build().first("X-A"), "length " + length);
        }
    }

    @Test
    void aBuiltHeadersStaysAsBuilt_whateverTheBuilderDoesNext() {
        Headers.Builder builder = Headers.builder().add("A", "1").add("B", "2").add("A", "3");
        Headers first = builder.build();
        builder.remove("a").add("C", "4");
        Headers second = builder.build();
        builder.set("B", "5");
        for (int i = 0; i < 40; i++) {
            builder.add("X-" + i, "v");   // past the first array's length
        }
        builder.remove("C");
        assertEquals(Headers.of("A", "1", "B", "2", "A", "3"), first);
        assertEquals(List.of("1", "3"), first.all("A"));
        assertEquals(Headers.of("B", "2", "C", "4"), second);
        Headers last = builder.build();
        assertEquals(41, last.size());
        assertEquals("5", last.first("B"));
        assertEquals(null, last.first("C"));
    }
}
