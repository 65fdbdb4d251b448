package io.portico.api;

import java.util.Objects;

/**
 * A typed key for a value that one filter leaves on an {@link Exchange} for later filters. Keys
 * compare by identity: create one as a constant of the filter that owns it and share the constant.
 *
 * @param <T> the type of the value stored under this key
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Creates a new key. Two calls with the same name make two different keys.
     *
     * @param name a name for logs and error messages, such as {@code "rate-limit.remaining"}
     * @param type the value's type, checked when a value is stored
     */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /** The name given at creation, for messages. */
    public String name() {
        return name;
    }

    /** The type of value this key stores. */
    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
