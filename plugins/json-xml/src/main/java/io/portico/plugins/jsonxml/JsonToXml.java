package io.portico.plugins.jsonxml;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a JSON tree as XML under a root element: {@code @name} keys become attributes, a
 * {@code #text} key the element's text, arrays repeated elements of the key's name; an optional
 * default namespace on the root.
 */
final class JsonToXml {
    private final XMLOutputFactory factory = XMLOutputFactory.newFactory();
    private final String root;
    private final String namespace;
    private final int maxDepth;

    JsonToXml(String root, String namespace, int maxDepth) {
        this.root = root;
        this.namespace = namespace;
        this.maxDepth = maxDepth;
    }

    /** @throws IllegalArgumentException when a key cannot be an XML name, or the JSON nests too deep */
    byte[] convert(JsonNode json, int sizeHint) {
        // The JDK's writer hands an OutputStream one byte at a time (each a synchronized
        // ByteArrayOutputStream.write); to a Writer it hands strings. XML of a JSON document is
        // somewhat larger than it: start there rather than grow from 16 characters.
        StringBuilderWriter out = new StringBuilderWriter(sizeHint + sizeHint / 2 + 64);
        try {
            XMLStreamWriter writer = factory.createXMLStreamWriter(out);
            writer.writeStartDocument("UTF-8", "1.0");
            writer.writeStartElement(root);
            if (namespace != null) {
                writer.writeDefaultNamespace(namespace);
            }
            content(writer, json, 1);
            writer.writeEndElement();
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("cannot be written as XML: " + e.getMessage());
        }
        return out.text().getBytes(StandardCharsets.UTF_8);
    }

    /** A Writer over a StringBuilder, without the locks of StringWriter's StringBuffer. */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder text;

        StringBuilderWriter(int capacity) {
            this.text = new StringBuilder(capacity);
        }

        @Override
        public void write(char[] characters, int offset, int length) {
            text.append(characters, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            text.append(string, offset, offset + length);
        }

        @Override
        public void write(int character) {
            text.append((char) character);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String text() {
            return text.toString();
        }
    }

    private void content(XMLStreamWriter writer, JsonNode node, int depth) throws XMLStreamException {
        if (depth > maxDepth) {
            throw new IllegalArgumentException("the JSON nests deeper than " + maxDepth);
        }
        if (!node.isObject()) {
            if (node.isArray()) {
                for (JsonNode item : node) {
                    element(writer, "item", item, depth);
                }
            } else if (!node.isNull()) {
                writer.writeCharacters(node.asText());
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith("@")) {
                writer.writeAttribute(name(field.getKey().substring(1)), field.getValue().asText());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.startsWith("@")) {
                continue;
            }
            if (key.equals("#text")) {
                writer.writeCharacters(field.getValue().asText());
            } else if (field.getValue().isArray()) {
                for (JsonNode item : field.getValue()) {
                    element(writer, key, item, depth);
                }
            } else {
                element(writer, key, field.getValue(), depth);
            }
        }
    }

    private void element(XMLStreamWriter writer, String key, JsonNode value, int depth) throws XMLStreamException {
        writer.writeStartElement(name(key));
        content(writer, value, depth + 1);
        writer.writeEndElement();
    }

    /**
     * A key as an element or attribute name: {@code [A-Za-z_][A-Za-z0-9._-]*}, not starting with
     * "xml". Checked for every key of every body, so by hand: a regex compiled per call was a
     * third of the conversion's time.
     */
    private static String name(String key) {
        boolean valid = !key.isEmpty() && !key.regionMatches(true, 0, "xml", 0, 3);
        for (int i = 0; valid && i < key.length(); i++) {
            char c = key.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            valid = letter || (i > 0 && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
        }
        if (!valid) {
            throw new IllegalArgumentException("the key '" + key + "' cannot be an XML element or attribute name");
        }
        return key;
    }
}
