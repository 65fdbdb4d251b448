package io.portico.plugins.soap;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * What Portico takes from a WSDL 1.1 file at load: for one operation, its SOAP action and SOAP
 * version (from the binding that names it), and the path of the service address that binding's
 * port gives. Read with the same hardened parser as answers.
 */
record Wsdl(String action, SoapVersion version, String addressPath) {
    private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";
    private static final String SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static final String SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/";

    /** @throws IllegalArgumentException when the file cannot be read, or has no such SOAP operation */
    static Wsdl read(Path file, String operation, SoapXml xml) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        Element definitions = xml.parse(bytes).getDocumentElement();
        if (!WSDL.equals(definitions.getNamespaceURI()) || !"definitions".equals(definitions.getLocalName())) {
            throw new IllegalArgumentException(file + " is not a WSDL 1.1 document (wsdl:definitions)");
        }
        List<String> known = new ArrayList<>();
        for (Element binding : SoapXml.children(definitions)) {
            if (!WSDL.equals(binding.getNamespaceURI()) || !"binding".equals(binding.getLocalName())) {
                continue;
            }
            for (Element candidate : SoapXml.children(binding)) {
                if (!"operation".equals(candidate.getLocalName())) {
                    continue;
                }
                known.add(candidate.getAttribute("name"));
                if (!operation.equals(candidate.getAttribute("name"))) {
                    continue;
                }
                Element soap11 = SoapXml.child(candidate, SOAP11, "operation");
                Element soap12 = SoapXml.child(candidate, SOAP12, "operation");
                if (soap11 == null && soap12 == null) {
                    continue;
                }
                SoapVersion version = soap11 != null ? SoapVersion.V1_1 : SoapVersion.V1_2;
                String action = (soap11 != null ? soap11 : soap12).getAttribute("soapAction");
                return new Wsdl(action.isEmpty() ? null : action, version,
                        addressPath(definitions, binding.getAttribute("name"), version));
            }
        }
        throw new IllegalArgumentException(file + " has no SOAP operation " + operation
                + (known.isEmpty() ? "" : "; its operations: " + String.join(", ", known.stream().distinct().toList())));
    }

    private static String addressPath(Element definitions, String bindingName, SoapVersion version) {
        for (Element service : SoapXml.children(definitions)) {
            if (!"service".equals(service.getLocalName())) {
                continue;
            }
            for (Element port : SoapXml.children(service)) {
                String binding = port.getAttribute("binding");
                if (!"port".equals(port.getLocalName()) || !binding.substring(binding.indexOf(':') + 1).equals(bindingName)) {
                    continue;
                }
                Element address = SoapXml.child(port, version == SoapVersion.V1_1 ? SOAP11 : SOAP12, "address");
                if (address != null && !address.getAttribute("location").isEmpty()) {
                    String path = URI.create(address.getAttribute("location")).getRawPath();
                    return path == null || path.isEmpty() ? "/" : path;
                }
            }
        }
        return null;
    }
}
