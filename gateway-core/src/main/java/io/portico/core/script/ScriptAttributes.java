package io.portico.core.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attributes js filters set on one request, as strings, for the js filters after them. One
 * request's filters run one after another, never at once; the map is replaced whole after each call.
 */
final class ScriptAttributes {
    private static final int MAX_ATTRIBUTES = 64;
    private volatile Map<String, String> values = Map.of();

    Map<String, String> values() {
        return values;
    }

    void replace(JsonNode attributes) {
        if (!attributes.isObject()) {
            return;
        }
        Map<String, String> next = new TreeMap<>();
        attributes.fields().forEachRemaining(field -> {
            if (next.size() < MAX_ATTRIBUTES) {
                next.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
            }
        });
        values = Map.copyOf(next);
    }
}
