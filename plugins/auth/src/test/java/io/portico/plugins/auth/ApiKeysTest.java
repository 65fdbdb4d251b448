package io.portico.plugins.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.ConsumerDefinition;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static ApiKeys keysOf(String... keys) {
        return ApiKeys.of(Arrays.stream(keys).map(key -> new ConsumerDefinition("owner-of-" + key.length(), Set.of(),
                Map.of("key-auth", List.of(Map.of("key", Fixtures.sha256(key)))))).toList());
    }

    @Test
    void findsTheOwnerOfAKey_andNobodyForAnyOtherKey() {
        ApiKeys keys = keysOf("a-key-of-twenty-bytes", "short");
        assertEquals("owner-of-21", keys.find("a-key-of-twenty-bytes").id());
        assertEquals("owner-of-5", keys.find("short").id());
        assertNull(keys.find("a-key-of-twenty-byteS"));
        assertNull(keys.find(""));
    }

    /**
     * A lookup cannot tell a guess how close it came: only SHA-256 digests are kept (a key in plain
     * text is refused, so no key is in memory to compare a guess with), and a guess is hashed whole
     * before digests are compared, which an attacker cannot steer byte by byte. This is checked by
     * what the lookup is built from, not by timing it: a timed check failed once on a busy host,
     * and the rules here keep time out of tests.
     */
    @Test
    void onlyDigestsAreKept_aKeyInPlainTextIsRefused_andANearMissMatchesNothing() {
        for (String stored : new String[]{"my-plain-key", "sha256:" + "ab".repeat(31) + "a", "md5:" + "ab".repeat(16)}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(List.of(
                    new ConsumerDefinition("alice", Set.of(), Map.of("key-auth", List.of(Map.of("key", stored)))))));
            assertTrue(refused.getMessage().contains("'alice'") && !refused.getMessage().contains(stored),
                    "names the consumer, never the secret: " + refused.getMessage());
        }
        String key = "k".repeat(64 * 1024);
        ApiKeys keys = keysOf(key);
        assertNull(keys.find(key.substring(0, key.length() - 1) + "x"));
        assertNull(keys.find("x" + key.substring(1)));
        assertEquals("owner-of-" + key.length(), keys.find(key).id(), "the real key still matches");
    }
}
