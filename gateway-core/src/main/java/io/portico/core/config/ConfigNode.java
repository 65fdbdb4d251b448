package io.portico.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each value came from, so a problem found while
 * binding or validating names the YAML path and the line. Jackson's own tree forgets locations.
 */
public sealed interface ConfigNode {

    /** The dotted path from the document's root, such as {@code routes[2].plugins[0].config}. */
    String path();

    /** The 1-based line the value starts on. */
    int line();

    /** What kind of YAML value this is, for messages. */
    String kind();

    /** A mapping; keys keep the order they were written in. */
    record MapNode(String path, int line, Map<String, ConfigNode> entries) implements ConfigNode {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record ListNode(String path, int line, List<ConfigNode> items) implements ConfigNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar, kept as text (after {@code ${VAR}} substitution); {@code value} is null for YAML null. */
    record ScalarNode(String path, int line, String value) implements ConfigNode {
        @Override
        public String kind() {
            return value == null ? "null" : "a value";
        }
    }

    /** The child path of a mapping key. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The child path of a list index. */
    static String child(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
