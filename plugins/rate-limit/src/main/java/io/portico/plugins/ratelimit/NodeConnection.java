package io.portico.plugins.ratelimit;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * A Jedis connection to one node whose buffered commands can be sent without waiting for an
 * answer (Jedis sends them only when it reads). Connecting, TLS, authentication, the database and
 * the client name are Jedis' own, from the client configuration.
 */
final class NodeConnection extends Connection {

    NodeConnection(HostAndPort node, JedisClientConfig config) {
        super(node, config);
    }

    /** Writes out every command buffered so far. */
    void sendBuffered() {
        flush();
    }
}
