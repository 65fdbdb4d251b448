package io.portico.core.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed: single
 * addresses or CIDR ranges, IPv4 and IPv6. Parsed once at configuration load.
 */
public final class TrustedProxies {
    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Nobody is trusted: inbound forwarding headers are always replaced. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code ::1}, {@code fd00::/8}.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or range
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(Range.parse(entry.strip()));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    /** Whether there is any trusted range at all. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether an address (a literal IP) is within a trusted range. */
    public boolean trusts(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the peer itself, or, behind trusted proxies, the right-most address in
     * {@code X-Forwarded-For} that is not itself a trusted proxy.
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusts(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                String trimmed = hop.strip();
                if (!trimmed.isEmpty()) {
                    hops.add(trimmed);
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                return peer;
            }
            if (!trusts(hop)) {
                return hop;
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    /** The bytes of a literal IPv4 or IPv6 address, or {@code null}; never resolves a name. */
    static byte[] literal(String address) {
        String text = address;
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.isEmpty()) {
            return null;
        }
        boolean ipv6 = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = Character.isDigit(c) || c == '.' || (ipv6 && (c == ':' || Character.digit(c, 16) >= 0));
            if (!allowed) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int prefixBits) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
            }
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not a number");
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length out of range");
                }
            }
            return new Range(bytes, bits);
        }

        boolean contains(byte[] address) {
            byte[] candidate = address;
            if (candidate.length != network.length) {
                candidate = mapped(candidate, network.length);
                if (candidate == null) {
                    return false;
                }
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }

        /** IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) compares as IPv4. */
        private static byte[] mapped(byte[] address, int wantedLength) {
            if (address.length == 16 && wantedLength == 4) {
                for (int i = 0; i < 10; i++) {
                    if (address[i] != 0) {
                        return null;
                    }
                }
                if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
                    return null;
                }
                return java.util.Arrays.copyOfRange(address, 12, 16);
            }
            return null;
        }
    }
}
