package io.portico.plugins.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** One query parameter by name: read its first value, or remove every occurrence. */
final class QueryParameter {
    private final String name;

    QueryParameter(String name) {
        this.name = name;
    }

    /** The first value, decoded; {@code null} when absent. */
    String value(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String pairName = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (pairName.equals(name)) {
                return equals < 0 ? "" : decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    /** The query without this parameter; {@code null} when nothing is left. */
    String remove(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder kept = new StringBuilder(query.length());
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (decode(equals < 0 ? pair : pair.substring(0, equals)).equals(name)) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append('&');
            }
            kept.append(pair);
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
