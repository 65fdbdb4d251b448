package io.portico.core.proxy;

import io.portico.api.Headers;
import org.eclipse.jetty.io.Content;

/**
 * A request as an {@link UpstreamConnection} sends it.
 *
 * @param method            the method
 * @param pathAndQuery      the encoded path and query
 * @param host              the {@code Host} to send
 * @param headers           the end-to-end headers (without {@code Host} and hop-by-hop fields)
 * @param bytes             a body held in memory, or null
 * @param body              a body to stream, or null
 * @param framing           the body's length, -1 to send it chunked, or -2 for no body
 * @param idleTimeoutMillis how long the upstream may stay silent during the exchange
 * @param keepAliveMillis   how long the connection may idle in its pool after the exchange
 * @param repeatable        whether sending it twice does no harm (an idempotent method, no streamed body)
 * @param upstream          the upstream's name, for the problem its failure becomes
 * @param requestId         the request's id, which that problem is answered under
 */
record UpstreamRequest(String method, String pathAndQuery, String host, Headers headers, byte[] bytes,
                       Content.Source body, long framing, long idleTimeoutMillis, long keepAliveMillis,
                       boolean repeatable, String upstream, String requestId, ClientGone clientGone) {
}
