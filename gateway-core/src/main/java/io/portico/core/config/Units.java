package io.portico.core.config;

import java.time.Duration;

/** Durations ({@code 250ms}, {@code 5s}, {@code 1m}, {@code 2h}) and sizes ({@code 512KB}, {@code 10MB}). */
public final class Units {
    private Units() {
    }

    /**
     * Parses a duration with a unit: {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static Duration parseDuration(String text) {
        String value = text.strip();
        int split = firstNonDigit(value);
        if (split == 0 || split == value.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a number and a unit, like 250ms, 5s, 1m, 2h");
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, split));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration");
        }
        return switch (value.substring(split).strip().toLowerCase(java.util.Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit: use ms, s, m, h or d");
        };
    }

    /**
     * Parses a size in bytes: a plain number, or with {@code B}, {@code KB}, {@code MB}, {@code GB}
     * (powers of 1024).
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static long parseSize(String text) {
        String value = text.strip();
        int split = firstNonDigit(value);
        if (split == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write a number and a unit, like 512KB or 10MB");
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, split));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        long factor = switch (value.substring(split).strip().toUpperCase(java.util.Locale.ROOT)) {
            case "", "B" -> 1;
            case "KB", "K", "KIB" -> 1024;
            case "MB", "M", "MIB" -> 1024 * 1024;
            case "GB", "G", "GIB" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit: use B, KB, MB or GB");
        };
        return Math.multiplyExact(amount, factor);
    }

    private static int firstNonDigit(String value) {
        int i = 0;
        while (i < value.length() && Character.isDigit(value.charAt(i))) {
            i++;
        }
        return i;
    }
}
