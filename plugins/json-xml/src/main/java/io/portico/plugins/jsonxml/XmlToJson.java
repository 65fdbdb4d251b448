package io.portico.plugins.jsonxml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads XML into a JSON tree with StAX, hardened: no DTD (so no entity expansion, billion laughs
 * included), no external entities, a bound on nesting depth. Attributes become {@code @name} keys,
 * mixed text {@code #text}; repeated sibling elements become an array (and so does a single one
 * at a path listed in {@code arrays}); text becomes a number or a boolean where {@code types} says
 * so. The root element's name is dropped: its content is the document.
 */
final class XmlToJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final XMLInputFactory factory;
    private final int maxDepth;
    private final Set<String> arrays;
    private final Map<String, JsonXmlFactory.Type> types;

    XmlToJson(int maxDepth, Set<String> arrays, Map<String, JsonXmlFactory.Type> types) {
        this.factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        this.maxDepth = maxDepth;
        this.arrays = Set.copyOf(arrays);
        this.types = Map.copyOf(types);
    }

    private static final class Frame {
        final String path;
        final ObjectNode node = NODES.objectNode();
        final StringBuilder text = new StringBuilder();

        Frame(String path) {
            this.path = path;
        }
    }

    /** @throws IllegalArgumentException when the XML is malformed, has a DTD, or nests too deep */
    JsonNode convert(byte[] xml) {
        Deque<Frame> stack = new ArrayDeque<>();
        JsonNode document = null;
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD -> throw new IllegalArgumentException("a DTD is not accepted");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new IllegalArgumentException(
                            "the entity &" + reader.getLocalName() + "; is not defined");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (stack.size() >= maxDepth) {
                            throw new IllegalArgumentException("elements nest deeper than " + maxDepth);
                        }
                        String name = reader.getLocalName();
                        Frame frame = new Frame(stack.isEmpty() ? "" : child(stack.peek().path, name));
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            frame.node.put("@" + reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        stack.push(frame);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Frame frame = stack.pop();
                        JsonNode value = value(frame);
                        if (stack.isEmpty()) {
                            document = value;
                        } else {
                            add(stack.peek().node, reader.getLocalName(), frame.path, value);
                        }
                    }
                    default -> {
                        // comments, processing instructions, whitespace outside the root
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the XML is malformed: " + e.getMessage().lines().reduce((a, b) -> b).orElse(""));
        }
        if (document == null) {
            throw new IllegalArgumentException("the XML has no root element");
        }
        return document;
    }

    private JsonNode value(Frame frame) {
        String text = frame.text.toString().strip();
        if (frame.node.isEmpty()) {
            return typed(frame.path, text);
        }
        if (!text.isEmpty()) {
            frame.node.set("#text", typed(frame.path, text));
        }
        return frame.node;
    }

    private JsonNode typed(String path, String text) {
        JsonXmlFactory.Type type = types.get(path);
        if (type == null) {
            return NODES.textNode(text);
        }
        try {
            return switch (type) {
                case NUMBER -> text.contains(".") || text.contains("e") || text.contains("E")
                        ? NODES.numberNode(Double.parseDouble(text)) : NODES.numberNode(Long.parseLong(text));
                case BOOLEAN -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new NumberFormatException(text);
                    }
                    yield NODES.booleanNode(Boolean.parseBoolean(text));
                }
                case STRING -> NODES.textNode(text);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + " is '" + text + "', not a " + type.name().toLowerCase());
        }
    }

    private void add(ObjectNode parent, String name, String path, JsonNode value) {
        JsonNode existing = parent.get(name);
        if (existing == null) {
            parent.set(name, arrays.contains(path) ? NODES.arrayNode().add(value) : value);
        } else if (existing instanceof ArrayNode array) {
            array.add(value);
        } else {
            parent.set(name, NODES.arrayNode().add(existing).add(value));
        }
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
