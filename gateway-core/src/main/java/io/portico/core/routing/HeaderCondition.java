package io.portico.core.routing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A condition on a request header, compared without regard to the case of its name.
 *
 * <p>{@code EQUALS} holds when some value of the header equals {@code value} exactly; {@code
 * REGEX} when some value matches {@code value} as a whole (Java {@link Pattern} syntax);
 * {@code PRESENT} when the header is there at all, {@code ABSENT} when it is not ({@code value} is then ignored and kept
 * {@code null}). A regex is checked here and compiled once more, and only once, by
 * {@link Router#compile}; nothing is compiled per request.
 *
 * @param name  the header name
 * @param kind  how to compare
 * @param value the value or regex; {@code null} for {@code PRESENT}
 */
public record HeaderCondition(String name, Kind kind, String value) {

    /** How a {@link HeaderCondition} compares. */
    public enum Kind { EQUALS, REGEX, PRESENT, ABSENT }

    /** Validates the condition; a bad regex is an {@link IllegalArgumentException}. */
    public HeaderCondition {
        Objects.requireNonNull(name, "header condition name");
        Objects.requireNonNull(kind, "header condition kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a header condition needs a name");
        }
        value = Condition.checkValue("header", name, kind.name(), value);
    }

    /** Some value of {@code name} equals {@code value}. */
    public static HeaderCondition equalTo(String name, String value) {
        return new HeaderCondition(name, Kind.EQUALS, value);
    }

    /** Some value of {@code name} matches {@code regex} as a whole. */
    public static HeaderCondition matches(String name, String regex) {
        return new HeaderCondition(name, Kind.REGEX, regex);
    }

    /** {@code name} is present. */
    public static HeaderCondition present(String name) {
        return new HeaderCondition(name, Kind.PRESENT, null);
    }
}
