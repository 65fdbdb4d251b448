package io.portico.core.proxy;

import io.portico.api.Headers;

/**
 * The header fields that belong to one connection and must not be forwarded (RFC 9110 section
 * 7.6.1): the fixed set, every {@code Proxy-*} field, and whatever the {@code Connection} field names.
 */
public final class HopByHop {
    private static final String[] FIXED = {"connection", "keep-alive", "te", "trailer", "transfer-encoding",
        "upgrade", "http2-settings"};

    private HopByHop() {
    }

    /** Whether a field name is hop-by-hop on its own, whatever {@code Connection} says. */
    public static boolean isFixed(String name) {
        // runs for every header of every request and response: compare in place, allocate nothing
        if (name.regionMatches(true, 0, "proxy-", 0, 6)) {
            return true;
        }
        for (String fixed : FIXED) {
            if (fixed.length() == name.length() && fixed.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
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
