package io.portico.core.routing;

/** Placeholder until the router lands. */
public record QueryCondition(String name, Kind kind, String value) {
    public enum Kind { EQUALS, REGEX, PRESENT }
}
