package io.portico.core.upstream;

/**
 * What a {@link BalancerKind#CONSISTENT_HASH} pool hashes: a request header, a cookie, or the
 * client's IP address. The proxy reads that value and passes it to {@link Upstream#select}.
 *
 * @param source where the key comes from
 * @param name   the header or cookie name; {@code null} for {@link Source#CLIENT_IP}
 */
public record HashOn(Source source, String name) {

    /** Where a consistent-hash key comes from. */
    public enum Source { HEADER, COOKIE, CLIENT_IP }

    public HashOn {
        if (source == null) {
            throw new IllegalArgumentException("hash-on source is required (header, cookie or client-ip)");
        }
        if (source == Source.CLIENT_IP) {
            if (name != null && !name.isBlank()) {
                throw new IllegalArgumentException("hash-on client-ip takes no name, was " + name);
            }
            name = null;
        } else if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("hash-on " + source.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs a name");
        }
    }

    public static HashOn header(String name) {
        return new HashOn(Source.HEADER, name);
    }

    public static HashOn cookie(String name) {
        return new HashOn(Source.COOKIE, name);
    }

    public static HashOn clientIp() {
        return new HashOn(Source.CLIENT_IP, null);
    }
}
