package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStoreTest {

    @Test
    void theKeySpaceStaysWithinMaxKeys() {
        RateLimitConfig config = new RateLimitConfig(List.of("client-ip"),
                List.of(new RateLimitConfig.WindowConfig(5, Duration.ofMinutes(1), null)), null, null, null, null, null,
                null, null, null, null);
        LocalStore store = new LocalStore(CounterSpace.of(config), 100,
                new TestClock(Instant.parse("2026-11-24T10:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            assertTrue(store.acquire("client-" + i, 0).admitted());
        }
        assertTrue(store.keys() <= 100, "keys kept: " + store.keys());
        for (int i = 0; i < 5; i++) {
            store.acquire("steady", 0);
        }
        assertFalse(store.acquire("steady", 0).admitted(), "a key in use keeps its count");
    }
}
