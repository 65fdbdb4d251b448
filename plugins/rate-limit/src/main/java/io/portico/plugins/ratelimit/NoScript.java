package io.portico.plugins.ratelimit;

import redis.clients.jedis.exceptions.JedisDataException;

/** Redis' answer to EVALSHA for a script it does not keep (first use, or a restarted Redis). */
final class NoScript {
    private NoScript() {
    }

    static boolean is(JedisDataException error) {
        return error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT");
    }
}
