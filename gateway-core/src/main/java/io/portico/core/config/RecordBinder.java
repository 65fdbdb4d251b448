package io.portico.core.config;

import io.portico.api.DataSize;
import io.portico.api.InvalidConfigException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a {@link ConfigNode} tree to records: YAML keys in kebab case bind record components in
 * camel case; an unknown key is a problem; the record's constructor validates, and what it throws
 * is reported with the YAML path and line. Every problem in the tree is collected, not just the
 * first. Missing keys bind {@code null} (or 0 and false for primitives), so constructors apply the
 * defaults.
 */
public final class RecordBinder {
    private static final Object FAILED = new Object();

    /**
     * Binds {@code node} to {@code type}.
     *
     * @throws ConfigException with every problem found
     */
    public static <R extends Record> R bind(ConfigNode node, Class<R> type, String source) throws ConfigException {
        Problems problems = new Problems();
        Object value = new RecordBinder().bind(node, type, problems);
        if (!problems.isEmpty() || value == FAILED) {
            if (problems.isEmpty()) {
                problems.add(node, "cannot be read as " + describe(type));
            }
            throw new ConfigException(source, problems.sorted());
        }
        return type.cast(value);
    }

    /** Binds within a larger read, adding to its problems; {@code null} when binding failed. */
    static <R> R bind(ConfigNode node, Class<R> type, Problems problems) {
        Object value = new RecordBinder().bind(node, (Type) type, problems);
        return value == FAILED ? null : type.cast(value);
    }

    private Object bind(ConfigNode node, Type type, Problems problems) {
        Class<?> raw = rawClass(type);
        if (raw == ConfigNode.class) {
            return node;
        }
        if (node instanceof ConfigNode.ScalarNode scalar && scalar.value() == null) {
            return raw.isPrimitive() ? primitiveDefault(raw) : null;
        }
        if (raw.isRecord() && raw != DataSize.class) {
            return bindRecord(node, raw, problems);
        }
        if (raw == List.class || raw == Set.class) {
            return bindCollection(node, ((ParameterizedType) type).getActualTypeArguments()[0], raw == Set.class, problems);
        }
        if (raw == Map.class) {
            return bindMap(node, ((ParameterizedType) type).getActualTypeArguments()[1], problems);
        }
        if (!(node instanceof ConfigNode.ScalarNode scalar)) {
            problems.add(node, "must be " + describe(raw) + ", not " + node.kind());
            return FAILED;
        }
        try {
            return convertScalar(scalar.value(), raw);
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return FAILED;
        }
    }

    private Object bindRecord(ConfigNode node, Class<?> type, Problems problems) {
        if (!(node instanceof ConfigNode.MapNode map)) {
            problems.add(node, "must be a mapping (" + keysOf(type) + "), not " + node.kind());
            return FAILED;
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            byKey.put(kebab(component.getName()), component);
        }
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            if (!byKey.containsKey(entry.getKey())) {
                problems.add(entry.getValue(), "unknown key '" + entry.getKey() + "'; the keys here are: " + keysOf(type));
            }
        }
        Object[] arguments = new Object[components.length];
        boolean failed = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            ConfigNode child = map.entries().get(kebab(component.getName()));
            if (child == null) {
                arguments[i] = component.getType().isPrimitive() ? primitiveDefault(component.getType()) : null;
                continue;
            }
            Object value = bind(child, component.getGenericType(), problems);
            if (value == FAILED) {
                failed = true;
            } else {
                arguments[i] = value;
            }
        }
        if (failed) {
            return FAILED;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidConfigException invalid) {
                ConfigNode child = map.entries().get(kebab(invalid.field()));
                if (child == null) {
                    child = map.entries().get(invalid.field());
                }
                if (child != null) {
                    problems.add(child, invalid.getMessage());
                } else {
                    problems.add(ConfigNode.child(map.path(), kebab(invalid.field())), map.line(), invalid.getMessage());
                }
            } else if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                problems.add(map, String.valueOf(cause.getMessage()));
            } else {
                problems.add(map, "is refused: " + cause);
            }
            return FAILED;
        } catch (ReflectiveOperationException e) {
            problems.add(map, "cannot be bound to " + type.getSimpleName() + ": " + e);
            return FAILED;
        }
    }

    private Object bindCollection(ConfigNode node, Type itemType, boolean asSet, Problems problems) {
        List<ConfigNode> items;
        if (node instanceof ConfigNode.ListNode list) {
            items = list.items();
        } else if (node instanceof ConfigNode.ScalarNode) {
            items = List.of(node);
        } else {
            problems.add(node, "must be a list, not " + node.kind());
            return FAILED;
        }
        List<Object> values = new ArrayList<>(items.size());
        boolean failed = false;
        for (ConfigNode item : items) {
            Object value = bind(item, itemType, problems);
            if (value == FAILED) {
                failed = true;
            } else if (value == null) {
                problems.add(item, "must not be empty");
                failed = true;
            } else {
                values.add(value);
            }
        }
        if (failed) {
            return FAILED;
        }
        return asSet ? Collections.unmodifiableSet(new LinkedHashSet<>(values)) : List.copyOf(values);
    }

    private Object bindMap(ConfigNode node, Type valueType, Problems problems) {
        if (!(node instanceof ConfigNode.MapNode map)) {
            problems.add(node, "must be a mapping, not " + node.kind());
            return FAILED;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean failed = false;
        for (Map.Entry<String, ConfigNode> entry : map.entries().entrySet()) {
            Object value = bind(entry.getValue(), valueType, problems);
            if (value == FAILED) {
                failed = true;
            } else if (value == null) {
                problems.add(entry.getValue(), "must not be empty");
                failed = true;
            } else {
                values.put(entry.getKey(), value);
            }
        }
        return failed ? FAILED : Collections.unmodifiableMap(values);
    }

    private static Object convertScalar(String text, Class<?> type) {
        if (type == String.class) {
            return text;
        }
        if (type == int.class || type == Integer.class) {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        }
        if (type == long.class || type == Long.class) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        }
        if (type == double.class || type == Double.class) {
            try {
                return Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
        }
        if (type == boolean.class || type == Boolean.class) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
            };
        }
        if (type == Duration.class) {
            return Units.parseDuration(text);
        }
        if (type == DataSize.class) {
            return DataSize.ofBytes(Units.parseSize(text));
        }
        if (type.isEnum()) {
            String wanted = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of: " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")));
        }
        throw new IllegalArgumentException("has a type the configuration cannot hold: " + type.getSimpleName());
    }

    private static Object primitiveDefault(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        throw new IllegalArgumentException("unsupported primitive " + type);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    private static String describe(Class<?> type) {
        if (type == Duration.class) {
            return "a duration like 5s";
        }
        if (type == DataSize.class) {
            return "a size like 10MB";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isRecord()) {
            return "a mapping";
        }
        return "a value";
    }

    private static String keysOf(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> kebab(c.getName())).collect(Collectors.joining(", "));
    }

    /** {@code maxAge} to {@code max-age}. */
    static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
