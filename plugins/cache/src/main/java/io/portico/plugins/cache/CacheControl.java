package io.portico.plugins.cache;

import java.util.List;
import java.util.Locale;

/**
 * The directives of {@code Cache-Control} fields that a shared cache acts on (RFC 9111 section 5.2).
 * Seconds are {@code -1} when absent; an unparsable number counts as absent, except for
 * {@code max-age} and {@code s-maxage}, where RFC 9111 says to treat it as stale (0).
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
                    long maxAge, long sharedMaxAge, long staleWhileRevalidate, long staleIfError) {

    static final CacheControl NONE = new CacheControl(false, false, false, false, false, -1, -1, -1, -1);

    /** Parses every value of the field (a list may be split over several fields). */
    static CacheControl parse(List<String> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        boolean noStore = false;
        boolean noCache = false;
        boolean isPrivate = false;
        boolean isPublic = false;
        boolean mustRevalidate = false;
        long maxAge = -1;
        long sharedMaxAge = -1;
        long staleWhileRevalidate = -1;
        long staleIfError = -1;
        for (String value : values) {
            for (String directive : value.split(",")) {
                String trimmed = directive.strip();
                int equals = trimmed.indexOf('=');
                String name = (equals < 0 ? trimmed : trimmed.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
                String argument = equals < 0 ? null : unquote(trimmed.substring(equals + 1).strip());
                switch (name) {
                    case "no-store" -> noStore = true;
                    // no-cache="field" only forbids reusing those fields; treating it as plain no-cache is safe
                    case "no-cache" -> noCache = true;
                    case "private" -> isPrivate = true;
                    case "public" -> isPublic = true;
                    case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
                    case "max-age" -> maxAge = seconds(argument, 0);
                    case "s-maxage" -> sharedMaxAge = seconds(argument, 0);
                    case "stale-while-revalidate" -> staleWhileRevalidate = seconds(argument, -1);
                    case "stale-if-error" -> staleIfError = seconds(argument, -1);
                    default -> {
                        // other directives do not change what a shared cache does here
                    }
                }
            }
        }
        return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, maxAge, sharedMaxAge,
                staleWhileRevalidate, staleIfError);
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
    }

    private static long seconds(String argument, long whenInvalid) {
        if (argument == null || argument.isEmpty()) {
            return whenInvalid;
        }
        for (int i = 0; i < argument.length(); i++) {
            if (!Character.isDigit(argument.charAt(i))) {
                return whenInvalid;
            }
        }
        // RFC 9111 1.2.2: a delta greater than what we can hold means "very long"
        return argument.length() > 10 ? Integer.MAX_VALUE : Math.min(Long.parseLong(argument), Integer.MAX_VALUE);
    }
}
