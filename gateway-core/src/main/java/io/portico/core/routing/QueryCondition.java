package io.portico.core.routing;

import java.util.Objects;

/**
 * A condition on a query parameter of the request.
 *
 * <p>Parameter names and values are compared after percent-decoding (UTF-8, and {@code +} reads
 * as a space, as browsers encode forms). {@code EQUALS} holds when some value of the parameter
 * equals {@code value}; {@code REGEX} when some value matches {@code value} as a whole;
 * {@code PRESENT} when the parameter appears at all, with or without a value ({@code ?debug}); {@code ABSENT} when it does not.
 * Names are case-sensitive.
 *
 * @param name  the parameter name, decoded
 * @param kind  how to compare
 * @param value the value or regex; {@code null} for {@code PRESENT}
 */
public record QueryCondition(String name, Kind kind, String value) {

    /** How a {@link QueryCondition} compares. */
    public enum Kind { EQUALS, REGEX, PRESENT, ABSENT }

    /** Validates the condition; a bad regex is an {@link IllegalArgumentException}. */
    public QueryCondition {
        Objects.requireNonNull(name, "query condition name");
        Objects.requireNonNull(kind, "query condition kind");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a query condition needs a name");
        }
        value = Condition.checkValue("query parameter", name, kind.name(), value);
    }

    /** Some value of {@code name} equals {@code value}. */
    public static QueryCondition equalTo(String name, String value) {
        return new QueryCondition(name, Kind.EQUALS, value);
    }

    /** Some value of {@code name} matches {@code regex} as a whole. */
    public static QueryCondition matches(String name, String regex) {
        return new QueryCondition(name, Kind.REGEX, regex);
    }

    /** {@code name} is present. */
    public static QueryCondition present(String name) {
        return new QueryCondition(name, Kind.PRESENT, null);
    }
}
