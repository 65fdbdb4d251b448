package io.portico.plugins.cors;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One allowed origin: {@code *} (any), an exact origin ({@code https://app.example.com}), a
 * pattern with one leading wildcard label ({@code https://*.example.com}, which matches
 * subdomains at any depth but not the bare domain), or a regular expression written {@code ~...}.
 */
record OriginRule(String text, String exact, Pattern pattern, boolean any) {

    static OriginRule parse(String text) {
        String value = text.strip();
        if (value.equals("*")) {
            return new OriginRule(value, null, null, true);
        }
        if (value.startsWith("~")) {
            return new OriginRule(value, null, Pattern.compile(value.substring(1)), false);
        }
        if (!value.matches("https?://[^/?#]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an origin: scheme://host[:port], without a path,"
                    + " or '*', 'https://*.example.com', or a regular expression written ~...");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        int star = lower.indexOf("*.");
        if (star >= 0) {
            if (lower.indexOf('*', star + 1) >= 0 || !lower.substring(0, star).endsWith("://")) {
                throw new IllegalArgumentException("'" + text + "' may have one wildcard, as its first label");
            }
            String prefix = Pattern.quote(lower.substring(0, star));
            String suffix = Pattern.quote(lower.substring(star + 1));
            return new OriginRule(value, null, Pattern.compile(prefix + "[a-z0-9-]+(\\.[a-z0-9-]+)*" + suffix), false);
        }
        return new OriginRule(value, lower, null, false);
    }

    boolean allows(String origin) {
        if (any) {
            return true;
        }
        if (exact != null) {
            return exact.equalsIgnoreCase(origin);
        }
        return pattern.matcher(origin.toLowerCase(Locale.ROOT)).matches();
    }
}
