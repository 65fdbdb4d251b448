package io.portico.plugins.ratelimit;

import io.portico.api.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the counted key of a request from its parts. A part the request lacks (no consumer yet,
 * no such header or claim) is replaced by the client's IP, as Kong does, so an anonymous caller is
 * still limited and cannot share a bucket with everyone else by leaving a header out.
 */
final class RequestKey {
    /** Longer keys are hashed, so a huge header value cannot make a huge Redis key. */
    private static final int LONGEST = 200;

    private final KeyPart[] parts;

    RequestKey(List<String> partNames) {
        this.parts = partNames.stream().map(KeyPart::parse).toArray(KeyPart[]::new);
    }

    String of(Exchange exchange) {
        if (parts.length == 1) {
            // the common one-part key is the value itself when nothing in it needs escaping
            String value = parts[0].value(exchange);
            if (value != null && value.length() <= LONGEST && value.indexOf('|') < 0 && value.indexOf('\\') < 0) {
                return value;
            }
        }
        StringBuilder key = new StringBuilder(48);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                key.append('|');
            }
            String value = parts[i].value(exchange);
            if (value == null) {
                // "\i" cannot come out of escape(): a backslash there is always followed by \ or |
                key.append("\\i").append(exchange.clientAddress());
            } else {
                escape(value, key);
            }
        }
        return key.length() <= LONGEST ? key.toString() : "#" + sha256(key.toString());
    }

    private static void escape(String value, StringBuilder out) {
        if (value.indexOf('|') < 0 && value.indexOf('\\') < 0) {
            out.append(value);
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '|' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
