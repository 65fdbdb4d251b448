package io.portico.api;

import java.util.Objects;

/**
 * Thrown from a plugin configuration record's constructor to refuse one field. The gateway reports
 * it with the YAML path of that field and its line: {@code routes[2].plugins[0].config.limit: must
 * be > 0 (line 31)}. A plain {@link IllegalArgumentException} is reported at the record's own path.
 */
public final class InvalidConfigException extends IllegalArgumentException {
    private final String field;

    /**
     * @param field   the record component at fault, as named in Java ({@code maxAge}) or in YAML
     *                ({@code max-age})
     * @param message what is wrong with it, such as {@code must be > 0}
     */
    public InvalidConfigException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The field at fault. */
    public String field() {
        return field;
    }

    /** Throws for {@code field} with {@code message} unless {@code condition} holds. */
    public static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidConfigException(field, message);
        }
    }
}
