package io.portico.plugins.jsontransform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A path to fields of a JSON body, compiled at load: names joined by dots ({@code customer.address.city}),
 * {@code []} after a name for every element of that array ({@code items[].sku}), a bare {@code []}
 * for every element of a top-level array ({@code [].password}), {@code \.} for a dot inside a name.
 * It splits into the part up to its last {@code []} (the elements it reaches) and the field names
 * after it, inside each of them.
 */
final class FieldPath {
    private record Step(String name, boolean each) {
    }

    private final String text;
    private final List<Step> prefix;
    private final List<String> field;

    private FieldPath(String text, List<Step> prefix, List<String> field) {
        this.text = text;
        this.prefix = prefix;
        this.field = field;
    }

    /** @throws IllegalArgumentException naming what is wrong with the path */
    static FieldPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a field path must not be empty");
        }
        List<Step> steps = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '.') {
                name.append('.');
                i++;
            } else if (c == '.') {
                String segment = name.toString();
                name.setLength(0);
                boolean each = segment.endsWith("[]");
                String bare = each ? segment.substring(0, segment.length() - 2) : segment;
                if (bare.isEmpty() && !(each && steps.isEmpty())) {
                    throw new IllegalArgumentException("'" + text + "' has an empty name");
                }
                if (bare.contains("[") || bare.contains("]")) {
                    throw new IllegalArgumentException("'" + text + "': [] goes right after a name, as in items[].sku");
                }
                steps.add(new Step(bare.isEmpty() ? null : bare, each));
            } else {
                name.append(c);
            }
        }
        int lastEach = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).each()) {
                lastEach = i;
            }
        }
        if (lastEach == steps.size() - 1) {
            throw new IllegalArgumentException("'" + text + "' ends in []: name a field inside the elements");
        }
        List<Step> prefix = new ArrayList<>(steps.subList(0, lastEach + 1));
        // the prefix ends in the array's elements: its last step names the array and iterates it
        List<String> field = steps.subList(lastEach + 1, steps.size()).stream().map(Step::name).toList();
        return new FieldPath(text, List.copyOf(prefix), List.copyOf(field));
    }

    @Override
    public String toString() {
        return text;
    }

    /** Whether both paths reach the same elements, so that a field can move from one to the other. */
    boolean sameElements(FieldPath other) {
        return prefix.equals(other.prefix);
    }

    /** Runs the action on every element (or the root) this path's fields live in. */
    void forEachHolder(JsonNode root, Consumer<ObjectNode> action) {
        walk(root, 0, action);
    }

    private void walk(JsonNode node, int step, Consumer<ObjectNode> action) {
        if (step == prefix.size()) {
            if (node instanceof ObjectNode object) {
                action.accept(object);
            }
            return;
        }
        Step next = prefix.get(step);
        JsonNode target = next.name() == null ? node : node instanceof ObjectNode object ? object.get(next.name()) : null;
        if (target instanceof ArrayNode array) {
            for (JsonNode element : array) {
                walk(element, step + 1, action);
            }
        }
    }

    /** Removes the field from the holder; the value removed, or null. */
    JsonNode remove(ObjectNode holder) {
        ObjectNode parent = parent(holder, false);
        return parent == null ? null : parent.remove(field.getLast());
    }

    /** Puts the value at the field, creating the objects on the way; only when absent unless {@code overwrite}. */
    void put(ObjectNode holder, JsonNode value, boolean overwrite) {
        ObjectNode parent = parent(holder, true);
        if (parent != null && (overwrite || !parent.has(field.getLast()))) {
            parent.set(field.getLast(), value);
        }
    }

    private ObjectNode parent(ObjectNode holder, boolean create) {
        ObjectNode node = holder;
        for (int i = 0; i < field.size() - 1; i++) {
            JsonNode child = node.get(field.get(i));
            if (child == null && create) {
                child = node.putObject(field.get(i));
            }
            if (!(child instanceof ObjectNode object)) {
                return null;
            }
            node = object;
        }
        return node;
    }
}
