package io.portico.core.proxy;

import io.portico.api.AttributeKey;
import io.portico.core.routing.RouteMatch;

/**
 * What the server learned about a request that the plugin API does not carry, handed to the
 * upstream call through a core-only attribute.
 *
 * @param peer         the address of the connection's other end
 * @param host         the host the client asked for, with port if given
 * @param protocol     {@code 1.1} or {@code 2}
 * @param originalPath the path as routed, to tell whether a filter changed it
 * @param match        the router's result, for rewriting the path
 * @param webSocket    whether the client asked to upgrade to WebSocket
 * @param clientGone   signalled when the client goes away before its answer; {@code null} where the
 *                     server does not watch for it (over TLS or HTTP/2, and for a WebSocket upgrade)
 */
public record ClientFacts(String peer, String host, String protocol, String originalPath,
                          RouteMatch.Found<?> match, boolean webSocket, ClientGone clientGone) {

    /** The core's own key; plugins cannot name it. */
    public static final AttributeKey<ClientFacts> KEY = AttributeKey.of("portico.client", ClientFacts.class);
}
