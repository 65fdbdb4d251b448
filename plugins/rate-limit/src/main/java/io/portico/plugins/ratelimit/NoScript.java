package io.portico.plugins.ratelimit;

import redis.clients.jedis.exceptions.JedisDataException;

/** Redis' answer to EVALSHA for a script it does not keep (first use, or a restarted Redis). */
final class NoScript {
    private NoScript() {
    }

    static boolean is(JedisDataException error) {
        return is(error.getMessage());
    }

    /** @param message an error reply's text, as Redis sent it after the {@code -} */
    static boolean is(String message) {
        return message != null && message.startsWith("NOSCRIPT");
    }
}
