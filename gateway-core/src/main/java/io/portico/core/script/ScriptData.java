package io.portico.core.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portico.api.Consumer;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.core.config.ConfigNode;
import java.util.Map;

/**
 * What crosses between the gateway and a script: JSON text only, so that no host object is ever
 * reachable from JavaScript.
 */
final class ScriptData {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ScriptData() {
    }

    /** What a script may read of the exchange beyond method, path, query and headers, as JSON text. */
    static String meta(Exchange exchange, Map<String, String> attributes) {
        ObjectNode data = NODES.objectNode();
        data.put("requestId", exchange.requestId());
        data.put("clientAddress", exchange.clientAddress());
        data.put("route", exchange.route() == null ? null : exchange.route().id());
        ObjectNode variables = data.putObject("pathVariables");
        if (exchange.route() != null) {
            exchange.route().pathVariables().forEach(variables::put);
        }
        Consumer consumer = exchange.consumer().orElse(null);
        if (consumer == null) {
            data.putNull("consumer");
        } else {
            ObjectNode node = data.putObject("consumer");
            node.put("id", consumer.id());
            ArrayNode groups = node.putArray("groups");
            consumer.groups().stream().sorted().forEach(groups::add);
            ObjectNode claims = node.putObject("claims");
            consumer.claims().forEach(claims::put);
            node.put("anonymous", consumer.anonymous());
        }
        ObjectNode attributeNode = data.putObject("attributes");
        attributes.forEach(attributeNode::put);
        return text(data);
    }

    /** Headers as "name\nvalue\nname\nvalue": no header holds a line break, and a script splits it cheaply. */
    static String flat(Headers headers) {
        StringBuilder text = new StringBuilder(headers.size() * 32);
        for (int i = 0; i < headers.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            text.append(headers.name(i)).append('\n').append(headers.value(i));
        }
        return text.toString();
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /** The {@code config:} under a js filter, as JSON: scalars that look like numbers or booleans become them. */
    static String json(ConfigNode config) {
        return text(config == null ? NODES.objectNode() : node(config));
    }

    private static JsonNode node(ConfigNode config) {
        if (config instanceof ConfigNode.MapNode map) {
            ObjectNode object = NODES.objectNode();
            map.entries().forEach((key, value) -> object.set(key, node(value)));
            return object;
        }
        if (config instanceof ConfigNode.ListNode list) {
            ArrayNode array = NODES.arrayNode();
            list.items().forEach(item -> array.add(node(item)));
            return array;
        }
        String value = ((ConfigNode.ScalarNode) config).value();
        if (value == null) {
            return NODES.nullNode();
        }
        if (value.equals("true") || value.equals("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(value));
        }
        if (value.matches("-?\\d{1,18}")) {
            return NODES.numberNode(Long.parseLong(value));
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            return NODES.numberNode(Double.parseDouble(value));
        }
        return NODES.textNode(value);
    }
}
