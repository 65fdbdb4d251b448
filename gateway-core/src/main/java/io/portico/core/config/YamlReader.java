package io.portico.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads YAML text into a {@link ConfigNode} tree, replacing {@code ${VAR}} and
 * {@code ${VAR:-default}} in scalars from the environment. Duplicate keys and unset variables
 * without a default are problems, reported with their line.
 */
final class YamlReader {
    private static final int MAX_DEPTH = 64;

    private final YAMLFactory factory;
    private final Function<String, String> environment;

    YamlReader(Function<String, String> environment) {
        this.environment = environment;
        this.factory = YAMLFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
    }

    /** The tree, or {@code null} with a problem recorded when the text is not YAML. */
    ConfigNode read(String text, Problems problems) {
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ConfigNode.MapNode("", 1, Map.of());
            }
            return readValue(parser, "", problems);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            problems.add("", location == null ? 0 : location.getLineNr(), "not valid YAML: " + plain(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add("", 0, "cannot be read: " + e.getMessage());
            return null;
        }
    }

    private ConfigNode readValue(JsonParser parser, String path, Problems problems) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, ConfigNode> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    ConfigNode value = readValue(parser, ConfigNode.child(path, key), problems);
                    if (entries.containsKey(key)) {
                        problems.add(ConfigNode.child(path, key), keyLine, "appears twice in the same mapping");
                    }
                    entries.put(key, value);
                }
                return new ConfigNode.MapNode(path, line, entries);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, ConfigNode.child(path, items.size()), problems));
                }
                return new ConfigNode.ListNode(path, line, items);
            }
            case VALUE_NULL -> {
                return new ConfigNode.ScalarNode(path, line, null);
            }
            default -> {
                return new ConfigNode.ScalarNode(path, line, substitute(parser.getText(), path, line, problems));
            }
        }
    }

    /** SnakeYAML's message without its "in 'reader', line N" lines: the line is reported once, by us. */
    private static String plain(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("in 'reader'") || trimmed.equals("^")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("; ");
            }
            out.append(trimmed);
        }
        return out.toString();
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:-default}}; {@code $${} stays a literal {@code ${}. */
    String substitute(String text, String path, int line, Problems problems) {
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int position = 0;
        while (start >= 0) {
            if (start > 0 && text.charAt(start - 1) == '$') {
                out.append(text, position, start - 1).append("${");
                position = start + 2;
                start = text.indexOf("${", position);
                continue;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                problems.add(path, line, "has '${' without a closing '}'");
                return text;
            }
            out.append(text, position, start);
            String expression = text.substring(start + 2, end);
            int dash = expression.indexOf(":-");
            String name = dash >= 0 ? expression.substring(0, dash) : expression;
            String fallback = dash >= 0 ? expression.substring(dash + 2) : null;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(path, line, "'${" + expression + "}' is not a variable name");
            }
            String value = environment.apply(name);
            if (value == null || (value.isEmpty() && fallback != null)) {
                if (fallback == null) {
                    problems.add(path, line, "environment variable " + name
                            + " is not set (give a default with ${" + name + ":-value})");
                    value = "";
                } else {
                    value = fallback;
                }
            }
            out.append(value);
            position = end + 1;
            start = text.indexOf("${", position);
        }
        return out.append(text, position, text.length()).toString();
    }
}
