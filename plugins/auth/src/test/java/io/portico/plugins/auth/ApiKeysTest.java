package io.portico.plugins.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
     * A comparison that stops at the first differing character answers a guess that shares a long
     * prefix with the real key measurably later than one that differs at once; with a 64 KB key
     * the difference is a thousandfold, far above any noise. Looking keys up by digest takes the
     * same time for both (hashing the guess dominates), which is what this checks, with medians of
     * interleaved rounds and a bound wide enough for a busy machine: a tenfold difference either
     * way, still a hundred times below what a comparison that stops early shows (a bound of 1.6 saw
     * 1.7 in one CI run on a busy host).
     */
    @Test
    void aGuessSharingALongPrefixWithTheKey_takesNoLongerThanOneThatDiffersAtOnce() {
        char[] secret = new char[64 * 1024];
        Arrays.fill(secret, 'k');
        String key = new String(secret);
        ApiKeys keys = keysOf(key);
        String nearlyTheKey = key.substring(0, key.length() - 1) + "x";
        String differsAtOnce = "x" + key.substring(1);
        long[] near = new long[15];
        long[] far = new long[15];
        for (int warm = 0; warm < 200; warm++) {
            keys.find(nearlyTheKey);
            keys.find(differsAtOnce);
        }
        for (int round = 0; round < near.length; round++) {
            near[round] = time(keys, nearlyTheKey);
            far[round] = time(keys, differsAtOnce);
        }
        double ratio = (double) median(near) / median(far);
        assertTrue(ratio > 0.1 && ratio < 10, "near/far time ratio " + ratio);
        assertEquals("owner-of-" + key.length(), keys.find(key).id(), "the real key still matches");
    }

    private static long time(ApiKeys keys, String guess) {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertNull(keys.find(guess));
        }
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
