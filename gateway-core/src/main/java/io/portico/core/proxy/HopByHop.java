package io.portico.core.proxy;

import io.portico.api.Headers;

/**
 * The header fields that belong to one connection and must not be forwarded (RFC 9110 section
 * 7.6.1): the fixed set, every {@code Proxy-*} field, and whatever the {@code Connection} field names.
 */
public final class HopByHop {
    private HopByHop() {
    }

    /** Whether a field name is hop-by-hop on its own, whatever {@code Connection} says. */
    public static boolean isFixed(String name) {
        // runs for every header of every request and response, several times: the first letter and
        // the length rule out nearly every name before any comparison; allocate nothing
        int length = name.length();
        if (length < 2) {
            return false;
        }
        // | 0x20 lower-cases an ASCII letter; no other character becomes one of these letters
        return switch (name.charAt(0) | 0x20) {
            case 'c' -> length == 10 && name.equalsIgnoreCase("connection");
            case 'k' -> length == 10 && name.equalsIgnoreCase("keep-alive");
            case 't' -> length == 2 ? name.equalsIgnoreCase("te")
                    : length == 7 ? name.equalsIgnoreCase("trailer")
                    : length == 17 && name.equalsIgnoreCase("transfer-encoding");
            case 'u' -> length == 7 && name.equalsIgnoreCase("upgrade");
            case 'h' -> length == 14 && name.equalsIgnoreCase("http2-settings");
            case 'p' -> name.regionMatches(true, 0, "proxy-", 0, 6);
            default -> false;
        };
    }

    /**
     * Whether {@code name} is hop-by-hop given the message's {@code Connection} field value.
     *
     * @param connection the {@code Connection} value, or {@code null}
     */
    public static boolean isHopByHop(String name, String connection) {
        if (isFixed(name)) {
            return true;
        }
        if (connection == null) {
            return false;
        }
        int start = 0;
        int length = connection.length();
        while (start < length) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && (connection.charAt(from) == ' ' || connection.charAt(from) == '\t')) {
                from++;
            }
            while (to > from && (connection.charAt(to - 1) == ' ' || connection.charAt(to - 1) == '\t')) {
                to--;
            }
            if (to - from == name.length() && connection.regionMatches(true, from, name, 0, name.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** The fields without any hop-by-hop one. */
    public static Headers strip(Headers headers) {
        String connection = joined(headers, "Connection");
        boolean any = false;
        for (int i = 0; i < headers.size() && !any; i++) {
            any = isHopByHop(headers.name(i), connection);
        }
        if (!any) {
            return headers;
        }
        Headers.Builder kept = Headers.builder();
        for (int i = 0; i < headers.size(); i++) {
            if (!isHopByHop(headers.name(i), connection)) {
                kept.add(headers.name(i), headers.value(i));
            }
        }
        return kept.build();
    }

    private static String joined(Headers headers, String name) {
        var values = headers.all(name);
        return values.isEmpty() ? null : String.join(",", values);
    }
}
