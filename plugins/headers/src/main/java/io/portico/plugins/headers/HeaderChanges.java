package io.portico.plugins.headers;

import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.Template;
import java.util.List;
import java.util.Map;

/**
 * The changes to one side's headers, in the order they apply: remove, rename, set, add. Values
 * that render empty are not written, so a missing consumer or path variable never sends an empty
 * header upstream.
 */
record HeaderChanges(List<String> remove, Map<String, String> rename, Map<String, Template> set,
                     Map<String, Template> add) {

    static final HeaderChanges NONE = new HeaderChanges(List.of(), Map.of(), Map.of(), Map.of());

    boolean isEmpty() {
        return remove.isEmpty() && rename.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    Headers apply(Headers headers, Exchange exchange) {
        Headers.Builder builder = headers.toBuilder();
        for (String name : remove) {
            builder.remove(name);
        }
        rename.forEach((from, to) -> {
            List<String> values = headers.all(from);
            if (!values.isEmpty()) {
                builder.remove(from);
                builder.remove(to);
                values.forEach(value -> builder.add(to, value));
            }
        });
        set.forEach((name, template) -> {
            String value = template.render(exchange);
            builder.remove(name);
            if (!value.isEmpty()) {
                builder.add(name, value);
            }
        });
        add.forEach((name, template) -> {
            String value = template.render(exchange);
            if (!value.isEmpty()) {
                builder.add(name, value);
            }
        });
        return builder.build();
    }
}
