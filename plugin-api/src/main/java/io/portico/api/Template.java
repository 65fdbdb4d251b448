package io.portico.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with placeholders for facts of the exchange, parsed once (when a filter is created) and
 * rendered per request without parsing again. The placeholders:
 *
 * <ul>
 *   <li>{@code {consumer.id}}, {@code {consumer.groups}} (sorted, comma-separated)</li>
 *   <li>{@code {path.NAME}}: a path variable of the matched route</li>
 *   <li>{@code {header.NAME}}: a request header's first value</li>
 *   <li>{@code {query.NAME}}: a query parameter, decoded (a value holding control characters counts
 *       as missing, so a template can never put CR or LF into a header)</li>
 *   <li>{@code {route.id}}, {@code {route.upstream}}, {@code {request.id}}, {@code {client.address}}</li>
 * </ul>
 *
 * <p><code>{{</code> and <code>}}</code> stand for literal braces. A missing value renders as nothing.
 * Braces, not {@code ${...}}: the configuration loader substitutes environment variables written
 * that way before any plugin sees the text. Instances are immutable and safe to share between
 * threads.
 *
 * @since API 1.1
 */
public final class Template {
    private final TemplatePart[] parts;
    private final String constant;

    private Template(List<TemplatePart> parts) {
        this.parts = parts.toArray(TemplatePart[]::new);
        this.constant = parts.size() == 1 && parts.getFirst() instanceof TemplatePart.Literal literal ? literal.text() : null;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the placeholder that is not understood, or the
     *                                  position of a brace that never closes; a filter factory
     *                                  turns it into an {@link InvalidConfigException} for its field
     */
    public static Template parse(String text) {
        List<TemplatePart> parts = new ArrayList<>();
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
                    parts.add(new TemplatePart.Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(TemplatePart.Placeholder.parse(text.substring(i + 1, end)));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new TemplatePart.Literal(literal.toString()));
        }
        return new Template(parts);
    }

    /** Whether the text has no placeholder, so that every exchange renders the same. */
    public boolean isConstant() {
        return constant != null;
    }

    /** The text for this exchange; empty when every placeholder is missing and there is no literal text. */
    public String render(Exchange exchange) {
        if (constant != null) {
            return constant;
        }
        StringBuilder out = new StringBuilder();
        for (TemplatePart part : parts) {
            part.appendTo(out, exchange);
        }
        return out.toString();
    }
}
