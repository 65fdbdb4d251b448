package io.portico.plugins.jwt;

import io.portico.api.Request;

/**
 * Where a token is read from: {@code Authorization: Bearer} (RFC 6750), or a header or cookie of
 * the route's choosing. Only one place is read, so a token never hides in a second one.
 */
final class TokenSource {
    private static final String BEARER = "bearer ";

    private final String header;
    private final String cookie;

    TokenSource(String header, String cookie) {
        this.header = header;
        this.cookie = cookie;
    }

    /**
     * The token; {@code ""} when the place is there but empty (an empty bearer), {@code null} when
     * there is no credential of this kind at all (another scheme belongs to another filter).
     */
    String find(Request request) {
        if (cookie != null) {
            return cookie(request.header("Cookie"));
        }
        String value = request.header(header);
        if (value == null) {
            return null;
        }
        if (!header.equalsIgnoreCase("Authorization")) {
            return value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()).strip()
                    : value.strip();
        }
        if (value.equalsIgnoreCase("bearer")) {
            return "";
        }
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()).strip() : null;
    }

    /** The request as it goes upstream, without the token's header (a cookie stays: it may carry more). */
    Request strip(Request request) {
        return cookie != null ? request : request.withHeaders(request.headers().without(header));
    }

    private String cookie(String cookies) {
        if (cookies == null) {
            return null;
        }
        for (String pair : cookies.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(cookie)) {
                return pair.substring(equals + 1).strip();
            }
        }
        return null;
    }
}
