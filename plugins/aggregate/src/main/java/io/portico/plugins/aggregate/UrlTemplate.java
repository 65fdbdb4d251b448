package io.portico.plugins.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.portico.api.Exchange;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A part's URL with placeholders, compiled at load: {@code {path.id}}, {@code {query.q}},
 * {@code {header.Accept-Language}} from the client's request, and {@code {parts.user.id}} from an
 * earlier part's JSON answer. In the query, values are percent-encoded; in the path, a value with
 * a {@code /} (or {@code .}, {@code ..}) is refused: a client can add neither a path segment nor a
 * query parameter through them.
 */
final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)\\.([^}]+)}");

    private final URI target;
    private final List<Object> pieces;
    private final Set<String> parts;

    private UrlTemplate(URI target, List<Object> pieces, Set<String> parts) {
        this.target = target;
        this.pieces = pieces;
        this.parts = parts;
    }

    private record Placeholder(String source, String name) {
    }

    /** @throws IllegalArgumentException for a URL that is not http(s):// or upstream://, or an unknown placeholder */
    static UrlTemplate parse(String url) {
        Matcher start = Pattern.compile("^(https?|upstream)://([^/]+)(/.*)?$").matcher(url);
        if (!start.matches()) {
            throw new IllegalArgumentException("'" + url + "' is not http://, https:// or upstream://NAME followed by a path");
        }
        URI target = URI.create(start.group(1) + "://" + start.group(2));
        String rest = start.group(3) == null ? "/" : start.group(3);
        List<Object> pieces = new ArrayList<>();
        Set<String> parts = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(rest);
        int at = 0;
        while (matcher.find()) {
            pieces.add(rest.substring(at, matcher.start()));
            String source = matcher.group(1);
            if (!Set.of("path", "query", "header", "parts").contains(source)) {
                throw new IllegalArgumentException("{" + source + "." + matcher.group(2) + "}: use {path.NAME}, {query.NAME},"
                        + " {header.NAME} or {parts.PART.FIELD}");
            }
            if (source.equals("parts")) {
                parts.add(matcher.group(2).split("\\.")[0]);
            }
            pieces.add(new Placeholder(source, matcher.group(2)));
            at = matcher.end();
        }
        pieces.add(rest.substring(at));
        return new UrlTemplate(target, List.copyOf(pieces), Set.copyOf(parts));
    }

    URI target() {
        return target;
    }

    /** The parts this URL takes values from: they must answer first. */
    Set<String> needs() {
        return parts;
    }

    /**
     * The path (decoded, as {@link io.portico.api.Request#path()} holds it) and the raw query for
     * this exchange, joined by {@code ?}; {@code null} when a value it needs is missing, or when a
     * value in the path would change the path's segments ({@code /}, {@code .}, {@code ..}).
     */
    String expand(Exchange exchange, Map<String, JsonNode> answers) {
        StringBuilder out = new StringBuilder();
        boolean inQuery = false;
        for (Object piece : pieces) {
            if (piece instanceof String text) {
                out.append(text);
                inQuery = inQuery || text.indexOf('?') >= 0;
                continue;
            }
            Placeholder placeholder = (Placeholder) piece;
            String value = switch (placeholder.source()) {
                case "path" -> exchange.route() == null ? null : exchange.route().pathVariable(placeholder.name());
                case "query" -> QueryValues.first(exchange.request().query(), placeholder.name());
                case "header" -> exchange.request().header(placeholder.name());
                default -> field(answers, placeholder.name());
            };
            if (value == null) {
                return null;
            }
            if (inQuery) {
                out.append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            } else if (value.indexOf('/') >= 0 || value.equals(".") || value.equals("..") || value.isEmpty()) {
                return null;
            } else {
                out.append(value);
            }
        }
        return out.toString();
    }

    private static String field(Map<String, JsonNode> answers, String path) {
        String[] names = path.split("\\.");
        JsonNode node = answers.get(names[0]);
        for (int i = 1; i < names.length && node != null; i++) {
            node = node.get(names[i]);
        }
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
