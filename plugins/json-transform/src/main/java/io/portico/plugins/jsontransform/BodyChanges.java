package io.portico.plugins.jsontransform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.portico.api.Exchange;
import io.portico.api.InvalidConfigException;
import io.portico.api.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The changes to one body (the request's or the response's), compiled at load, applied in order:
 * remove, rename, add (only where absent), set (always).
 */
final class BodyChanges {
    private record Rename(FieldPath from, FieldPath to) {
    }

    private record Put(FieldPath path, Template value) {
    }

    private final List<FieldPath> remove;
    private final List<Rename> rename;
    private final List<Put> add;
    private final List<Put> set;

    private BodyChanges(List<FieldPath> remove, List<Rename> rename, List<Put> add, List<Put> set) {
        this.remove = remove;
        this.rename = rename;
        this.add = add;
        this.set = set;
    }

    /** @throws InvalidConfigException naming the field (such as {@code request}) and the bad path or template */
    static BodyChanges compile(String side, JsonTransformFactory.Side config) {
        if (config == null) {
            return new BodyChanges(List.of(), List.of(), List.of(), List.of());
        }
        try {
            List<FieldPath> remove = config.remove().stream().map(FieldPath::parse).toList();
            List<Rename> rename = new ArrayList<>();
            for (Map.Entry<String, String> entry : config.rename().entrySet()) {
                FieldPath from = FieldPath.parse(entry.getKey());
                FieldPath to = FieldPath.parse(entry.getValue());
                if (!from.sameElements(to)) {
                    throw new IllegalArgumentException("rename " + from + " to " + to
                            + ": both must reach the same array elements (the same part up to the last [])");
                }
                rename.add(new Rename(from, to));
            }
            return new BodyChanges(remove, List.copyOf(rename), puts(config.add()), puts(config.set()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(side, side + ": " + e.getMessage());
        }
    }

    private static List<Put> puts(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> new Put(FieldPath.parse(entry.getKey()), Template.parse(entry.getValue())))
                .toList();
    }

    boolean isEmpty() {
        return remove.isEmpty() && rename.isEmpty() && add.isEmpty() && set.isEmpty();
    }

    /** Changes the tree in place. */
    void apply(JsonNode root, Exchange exchange) {
        for (FieldPath path : remove) {
            path.forEachHolder(root, path::remove);
        }
        for (Rename move : rename) {
            move.from().forEachHolder(root, holder -> {
                JsonNode value = move.from().remove(holder);
                if (value != null) {
                    move.to().put(holder, value, true);
                }
            });
        }
        put(root, exchange, add, false);
        put(root, exchange, set, true);
    }

    private static void put(JsonNode root, Exchange exchange, List<Put> puts, boolean overwrite) {
        for (Put put : puts) {
            String value = put.value().render(exchange);
            if (!value.isEmpty()) {
                TextNode text = TextNode.valueOf(value);
                put.path().forEachHolder(root, holder -> put.path().put(holder, text, overwrite));
            }
        }
    }
}
