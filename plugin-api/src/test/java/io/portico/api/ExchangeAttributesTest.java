package io.portico.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExchangeAttributesTest {
    private final Exchange exchange = Exchange.create("req-1", Request.of("GET", "/"), "10.0.0.7", false,
            new MatchedRoute("r", Map.of()));

    @Test
    void aValueIsFoundUnderItsOwnKey_replaced_andSharedByEveryCopy() {
        AttributeKey<String> first = AttributeKey.of("same-name", String.class);
        AttributeKey<String> second = AttributeKey.of("same-name", String.class);
        assertEquals(Optional.empty(), exchange.attribute(first));
        exchange.setAttribute(first, "a");
        assertEquals(Optional.empty(), exchange.attribute(second), "keys compare by identity, not by name");
        exchange.setAttribute(first, "b");
        Exchange copy = exchange.withRequest(Request.of("POST", "/other"));
        assertEquals("b", copy.attribute(first).orElseThrow());
        copy.setAttribute(second, "c");
        assertEquals("c", exchange.attribute(second).orElseThrow());
        assertThrows(ClassCastException.class, () -> exchange.setAttribute((AttributeKey) first, 7));
    }

    @Test
    void manyKeys_fromTwoThreadsAtOnce_areAllKept() throws Exception {
        List<AttributeKey<Integer>> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(AttributeKey.of("k" + i, Integer.class));
        }
        Thread other = new Thread(() -> {
            for (int i = 1; i < keys.size(); i += 2) {
                exchange.setAttribute(keys.get(i), i);
            }
        });
        other.start();
        for (int i = 0; i < keys.size(); i += 2) {
            exchange.setAttribute(keys.get(i), i);
        }
        other.join();
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(i, exchange.attribute(keys.get(i)).orElseThrow(), "key " + i);
        }
        assertTrue(exchange.attribute(AttributeKey.of("k0", Integer.class)).isEmpty());
    }
}
