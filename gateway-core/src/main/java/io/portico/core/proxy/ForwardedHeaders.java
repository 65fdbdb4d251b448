package io.portico.core.proxy;

import io.portico.api.Exchange;
import io.portico.api.Headers;

/**
 * Adds {@code X-Forwarded-For/-Proto/-Host}, {@code Forwarded} and {@code Via} to a request on its
 * way upstream. Inbound values are kept and extended only when the peer is a trusted proxy;
 * otherwise a stranger could forge them, so they are replaced.
 */
public final class ForwardedHeaders {
    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String FORWARDED_HOST = "X-Forwarded-Host";
    private static final String FORWARDED = "Forwarded";
    private static final String VIA = "Via";
    /** The field that carries the request id, to the upstream and back. */
    static final String REQUEST_ID = "X-Request-Id";
    /** The fields this sets, each replacing whatever the request carried of it. */
    private static final String[] SET = {FORWARDED_FOR, FORWARDED_PROTO, FORWARDED_HOST, FORWARDED, VIA, REQUEST_ID};
    private final TrustedProxies trusted;
    private final String viaPseudonym;
    // this gateway's Via entries for the protocols a client speaks, made once rather than per request
    private final String via10;
    private final String via11;
    private final String via2;

    /**
     * @param trusted      whose forwarding headers are believed
     * @param viaPseudonym the name sent in {@code Via}, such as {@code portico}
     */
    public ForwardedHeaders(TrustedProxies trusted, String viaPseudonym) {
        this.trusted = trusted;
        this.viaPseudonym = viaPseudonym;
        this.via10 = "1.0 " + viaPseudonym;
        this.via11 = "1.1 " + viaPseudonym;
        this.via2 = "2 " + viaPseudonym;
    }

    /**
     * The headers to send upstream.
     *
     * @param peer     the address of the connection's other end
     * @param host     the {@code Host} the client asked for
     * @param protocol {@code 1.1} or {@code 2}, for {@code Via}
     */
    public Headers apply(Headers headers, Exchange exchange, String peer, String host, String protocol) {
        boolean trustedPeer = trusted.trusts(peer);
        String proto = exchange.secure() ? "https" : "http";
        Headers.Builder out = headers.toBuilder();
        if (carriesAnyOf(headers)) {
            for (String name : SET) {
                out.remove(name);
            }
        }

        String inboundFor = trustedPeer ? join(headers, FORWARDED_FOR) : null;
        out.add(FORWARDED_FOR, inboundFor == null ? peer : inboundFor + ", " + peer);
        String inboundProto = trustedPeer ? headers.first(FORWARDED_PROTO) : null;
        out.add(FORWARDED_PROTO, inboundProto == null ? proto : inboundProto);
        String inboundHost = trustedPeer ? headers.first(FORWARDED_HOST) : null;
        if (inboundHost != null || host != null) {
            out.add(FORWARDED_HOST, inboundHost == null ? host : inboundHost);
        }

        StringBuilder forwarded = new StringBuilder(64);
        String inboundForwarded = trustedPeer ? join(headers, FORWARDED) : null;
        if (inboundForwarded != null) {
            forwarded.append(inboundForwarded).append(", ");
        }
        forwarded.append("for=").append(node(peer)).append(";proto=").append(proto);
        if (host != null) {
            forwarded.append(";host=").append(quotedIfNeeded(host));
        }
        out.add(FORWARDED, forwarded.toString());

        String inboundVia = join(headers, VIA);
        String via = viaEntry(protocol);
        out.add(VIA, inboundVia == null ? via : inboundVia + ", " + via);
        out.add(REQUEST_ID, exchange.requestId());
        return out.build();
    }

    /** {@code Via} for a response on its way back. */
    public String via(String upstreamVia, String protocol) {
        String via = viaEntry(protocol);
        return upstreamVia == null ? via : upstreamVia + ", " + via;
    }

    private String viaEntry(String protocol) {
        return switch (protocol) {
            case "1.1" -> via11;
            case "2" -> via2;
            case "1.0" -> via10;
            default -> protocol + " " + viaPseudonym;
        };
    }

    /**
     * Whether a request carries any of the fields set here. Most carry none, and then adding to a
     * copy is enough: a remove per field would scan every header six times.
     */
    private static boolean carriesAnyOf(Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            for (String set : SET) {
                if (set.length() == name.length() && set.equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String join(Headers headers, String name) {
        var values = headers.all(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** RFC 7239: an IPv6 node is bracketed and quoted. */
    private static String node(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }

    private static String quotedIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return value;
    }
}
