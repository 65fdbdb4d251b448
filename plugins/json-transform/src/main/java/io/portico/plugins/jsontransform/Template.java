package io.portico.plugins.jsontransform;

import io.portico.api.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * A field value with placeholders (the headers plugin's syntax), parsed once at configuration load: {@code {consumer.id}},
 * {@code {consumer.groups}}, {@code {path.NAME}}, {@code {header.NAME}}, {@code {query.NAME}},
 * {@code {route.id}}, {@code {request.id}}, {@code {client.address}}. {@code {{} and {@code }}}
 * stand for literal braces. Braces, not {@code ${...}}: the configuration loader substitutes
 * environment variables written that way before any plugin sees the text.
 */
final class Template {
    private final Part[] parts;
    private final String constant;

    private Template(List<Part> parts) {
        this.parts = parts.toArray(Part[]::new);
        this.constant = parts.size() == 1 && parts.getFirst() instanceof Literal literal ? literal.text() : null;
    }

    /**
     * @throws IllegalArgumentException naming the placeholder that is not understood
     */
    static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && text.startsWith("{{", i)) {
                literal.append('{');
                i += 2;
            } else if (c == '}' && text.startsWith("}}", i)) {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'" + text + "' opens a placeholder at " + i + " that never closes");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(Source.parse(text.substring(i + 1, end)));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new Template(parts);
    }

    /** The value for this exchange; empty when every placeholder is missing. */
    String render(Exchange exchange) {
        if (constant != null) {
            return constant;
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            part.appendTo(out, exchange);
        }
        return out.toString();
    }

    sealed interface Part permits Literal, Source {
        void appendTo(StringBuilder out, Exchange exchange);
    }

    record Literal(String text) implements Part {
        @Override
        public void appendTo(StringBuilder out, Exchange exchange) {
            out.append(text);
        }
    }
}
