package io.portico.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TargetSpecTest {

    @Test
    void parse_hostAndPort() {
        TargetSpec t = TargetSpec.parse("http://127.0.0.1:9001", 3);
        assertEquals(new TargetSpec("http", "127.0.0.1", 9001, 3), t);
        assertEquals("127.0.0.1:9001", t.address());
        assertEquals("http://127.0.0.1:9001", t.baseUri());
    }

    @ParameterizedTest
    @CsvSource({
        "http://orders.internal, http, orders.internal, 80",
        "https://orders.internal, https, orders.internal, 443",
        "HTTPS://Orders.Internal:8443/, https, orders.internal, 8443",
        "http://[::1]:9001, http, ::1, 9001",
    })
    void parse_defaultsPortAndNormalizes(String url, String scheme, String host, int port) {
        assertEquals(new TargetSpec(scheme, host, port, 1), TargetSpec.parse(url, 1));
    }

    @Test
    void address_bracketsIpv6() {
        TargetSpec t = TargetSpec.parse("http://[::1]:9001", 1);
        assertEquals("[::1]:9001", t.address());
        assertEquals("http://[::1]:9001", t.baseUri());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://127.0.0.1:9001      | must start with http:// or https://",
        "127.0.0.1:9001            | must start with http:// or https://",
        "http://127.0.0.1:9001/api | must not have a path",
        "http://127.0.0.1:9001?a=b | must not have a query",
        "http://127.0.0.1:9001#x   | must not have a fragment",
        "http://user:pw@host:9001  | must not contain user info",
        "http:///path              | has no host",
        "http://host:0             | port must be 1..65535",
        "http://exa mple.com       | is not a valid URI",
    })
    void parse_refusesWithAClearMessage(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse(url, 1));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains(url.strip()), e.getMessage());
    }

    @Test
    void parse_refusesBlankAndBadWeight() {
        assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse(" ", 1));
        assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse(null, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TargetSpec.parse("http://h:1", 0));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }
}
