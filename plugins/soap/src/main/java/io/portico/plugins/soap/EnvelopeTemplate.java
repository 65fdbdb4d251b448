package io.portico.plugins.soap;

import com.fasterxml.jackson.databind.JsonNode;
import io.portico.api.Exchange;
import io.portico.api.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of a SOAP Body with placeholders, compiled at load: {@code {path.id}},
 * {@code {query.lang}}, {@code {header.Accept-Language}} and {@code {body.customer.name}} (a field
 * of the client's JSON body, by dotted path), each with an optional default
 * ({@code {query.lang:-en}}). Every value is XML-escaped as it is filled in, so a client can add
 * text but never markup.
 */
final class EnvelopeTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(path|query|header|body)\\.([^}:]+)(?::-([^}]*))?}");

    private record Placeholder(String source, String name, String[] fieldPath, String fallback) {
    }

    private final List<Object> pieces;
    private final boolean readsBody;

    private EnvelopeTemplate(List<Object> pieces, boolean readsBody) {
        this.pieces = pieces;
        this.readsBody = readsBody;
    }

    /** @throws IllegalArgumentException when the template, filled with sample values, is not well-formed XML */
    static EnvelopeTemplate parse(String template, SoapXml xml) {
        List<Object> pieces = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        int at = 0;
        boolean readsBody = false;
        StringBuilder sample = new StringBuilder();
        while (matcher.find()) {
            String literal = template.substring(at, matcher.start());
            pieces.add(literal);
            sample.append(literal).append("x");
            String source = matcher.group(1);
            readsBody |= source.equals("body");
            pieces.add(new Placeholder(source, matcher.group(2), matcher.group(2).split("\\."), matcher.group(3)));
            at = matcher.end();
        }
        pieces.add(template.substring(at));
        sample.append(template.substring(at));
        xml.checkFragment(sample.toString());
        return new EnvelopeTemplate(List.copyOf(pieces), readsBody);
    }

    /** Whether filling needs the client's JSON body. */
    boolean readsBody() {
        return readsBody;
    }

    /** The Body content for this request; a missing value without a default is a 400. */
    String fill(Exchange exchange, JsonNode body) {
        StringBuilder out = new StringBuilder(256);
        for (Object piece : pieces) {
            if (piece instanceof String literal) {
                out.append(literal);
                continue;
            }
            Placeholder placeholder = (Placeholder) piece;
            String value = value(placeholder, exchange, body);
            if (value == null) {
                value = placeholder.fallback();
            }
            if (value == null) {
                throw new ProblemException(400, "VALUE_MISSING", "Bad Request",
                        "the request has no " + placeholder.source() + " value " + placeholder.name());
            }
            escape(value, out);
        }
        return out.toString();
    }

    private static String value(Placeholder placeholder, Exchange exchange, JsonNode body) {
        return switch (placeholder.source()) {
            case "path" -> exchange.route() == null ? null : exchange.route().pathVariable(placeholder.name());
            case "query" -> query(exchange.request().query(), placeholder.name());
            case "header" -> exchange.request().header(placeholder.name());
            default -> field(body, placeholder);
        };
    }

    private static String field(JsonNode body, Placeholder placeholder) {
        JsonNode node = body;
        for (String step : placeholder.fieldPath()) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(step);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new ProblemException(400, "VALUE_NOT_SCALAR", "Bad Request",
                    "the body field " + placeholder.name() + " is an object or array, not a single value");
        }
        return node.asText();
    }

    private static String query(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // characters XML 1.0 cannot carry at all are dropped rather than sent broken
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
    }
}
