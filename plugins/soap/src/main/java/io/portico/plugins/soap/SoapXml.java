package io.portico.plugins.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML in and out, hardened: a document with a DOCTYPE is refused before anything in it is read (so
 * no entity is ever expanded or fetched: billion laughs and external entities alike), nothing
 * external is loaded, and elements may nest only so deep. Element content becomes JSON the way the
 * json-xml plugin does it: attributes as {@code @name}, mixed text as {@code #text}, repeated
 * siblings as arrays (and the paths listed in {@code arrays} always), text typed where
 * {@code types} says; namespace prefixes are dropped from keys.
 */
final class SoapXml {
    /** A type a text value takes on its way to JSON. */
    enum Type { STRING, NUMBER, BOOLEAN }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DocumentBuilderFactory factory;
    private final int maxDepth;
    private final Set<String> arrays;
    private final Map<String, Type> types;

    SoapXml(int maxDepth, Set<String> arrays, Map<String, Type> types) {
        this.maxDepth = maxDepth;
        this.arrays = Set.copyOf(arrays);
        this.types = Map.copyOf(types);
        this.factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
        }
    }

    /** @throws IllegalArgumentException when the XML is malformed, has a DOCTYPE, or nests too deep */
    Document parse(byte[] xml) {
        Document document;
        try {
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("no external entity is loaded");
            });
            document = builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException e) {
            String message = e.getMessage() == null ? "malformed" : e.getMessage();
            throw new IllegalArgumentException(message.contains("DOCTYPE") ? "a DOCTYPE is not accepted" : message);
        } catch (IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("the XML cannot be read: " + e.getMessage());
        }
        depth(document.getDocumentElement(), 1);
        return document;
    }

    /** Checks that a Body template (filled with sample values) is well-formed XML. */
    void checkFragment(String fragment) {
        parse(("<template>" + fragment + "</template>").getBytes(StandardCharsets.UTF_8));
    }

    private void depth(Element element, int level) {
        if (level > maxDepth) {
            throw new IllegalArgumentException("elements nest deeper than " + maxDepth);
        }
        for (Element child : children(element)) {
            depth(child, level + 1);
        }
    }

    static List<Element> children(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                children.add(child);
            }
        }
        return children;
    }

    static Element child(Element parent, String namespace, String localName) {
        for (Element child : children(parent)) {
            if (localName.equals(child.getLocalName()) && (namespace == null || namespace.equals(child.getNamespaceURI()))) {
                return child;
            }
        }
        return null;
    }

    /** The element's content as JSON (its own name dropped). */
    JsonNode json(Element element) {
        return value(element, "");
    }

    private JsonNode value(Element element, String path) {
        ObjectNode node = NODES.objectNode();
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())) {
                node.put("@" + local(attribute), attribute.getNodeValue());
            }
        }
        StringBuilder text = new StringBuilder();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement) {
                String name = local(childElement);
                String childPath = path.isEmpty() ? name : path + "." + name;
                add(node, name, childPath, value(childElement, childPath));
            } else if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(child.getNodeValue());
            }
        }
        String stripped = text.toString().strip();
        if (node.isEmpty()) {
            return typed(path, stripped);
        }
        if (!stripped.isEmpty()) {
            node.set("#text", typed(path, stripped));
        }
        return node;
    }

    private static String local(Node node) {
        return node.getLocalName() != null ? node.getLocalName() : node.getNodeName();
    }

    private JsonNode typed(String path, String text) {
        Type type = types.get(path);
        if (type == null || type == Type.STRING) {
            return NODES.textNode(text);
        }
        try {
            if (type == Type.NUMBER) {
                return text.contains(".") || text.contains("e") || text.contains("E")
                        ? NODES.numberNode(Double.parseDouble(text)) : NODES.numberNode(Long.parseLong(text));
            }
            if (!text.equals("true") && !text.equals("false")) {
                throw new NumberFormatException(text);
            }
            return NODES.booleanNode(Boolean.parseBoolean(text));
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

    /** The element as XML text, with the namespace declarations it needs. */
    static String text(Element element) {
        try {
            TransformerFactory transformers = TransformerFactory.newInstance();
            transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = transformers.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalArgumentException("the XML cannot be written: " + e.getMessage());
        }
    }
}
