package io.portico.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
