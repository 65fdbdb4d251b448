package io.portico.plugins.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.GatewayFilter;
import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.w3c.dom.Element;

/**
 * One SOAP operation behind a JSON endpoint: the request becomes a POST of an envelope; the answer's
 * Body becomes JSON (or stays XML for a client that asks only for XML); a Fault becomes a problem
 * response. Bodies are read whole up to the bound. A blocking filter: it reads bodies.
 */
final class SoapFilter implements GatewayFilter {
    private final SoapVersion version;
    private final String action;
    private final String path;
    private final EnvelopeTemplate template;
    private final SoapXml xml;
    private final int faultStatus;
    private final long maxBody;
    private final ObjectMapper json = new ObjectMapper();

    SoapFilter(SoapVersion version, String action, String path, EnvelopeTemplate template, SoapXml xml, int faultStatus,
               long maxBody) {
        this.version = version;
        this.action = action;
        this.path = path;
        this.template = template;
        this.xml = xml;
        this.faultStatus = faultStatus;
        this.maxBody = maxBody;
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        Request request = exchange.request();
        JsonNode fields = template.readsBody() && !request.body().isEmpty() ? clientJson(request.body()) : null;
        byte[] envelope = version.envelope(template.fill(exchange, fields)).getBytes(StandardCharsets.UTF_8);
        Headers.Builder headers = request.headers().toBuilder();
        for (String name : new String[] {"Content-Length", "Transfer-Encoding", "Content-Encoding", "Content-Type",
                "Accept", "SOAPAction"}) {
            headers.remove(name);
        }
        headers.add("Content-Type", version.contentType(action));
        headers.add("Accept", version == SoapVersion.V1_1 ? "text/xml" : "application/soap+xml");
        if (version == SoapVersion.V1_1) {
            headers.add("SOAPAction", "\"" + (action == null ? "" : action) + "\"");
        }
        Request call = new Request("POST", path == null ? request.path() : path, null, headers.build(), Body.of(envelope));
        Response answer = chain.proceed(exchange.withRequest(call));
        return unwrap(answer, wantsXml(request.header("Accept")));
    }

    private JsonNode clientJson(Body body) throws IOException {
        byte[] bytes = read(body, 413, "BODY_TOO_LARGE", "Content Too Large", "the request body");
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new ProblemException(400, "BAD_REQUEST", "Bad Request", "the request body is not JSON");
        }
    }

    private Response unwrap(Response answer, boolean asXml) throws IOException {
        byte[] bytes = read(answer.body(), 502, "UPSTREAM_BODY_TOO_LARGE", "Bad Gateway", "the service's answer");
        if (bytes.length == 0) {
            throw invalid("the service answered " + answer.status() + " with no SOAP envelope");
        }
        Element envelope;
        try {
            envelope = xml.parse(bytes).getDocumentElement();
        } catch (IllegalArgumentException e) {
            throw invalid("the service's answer is not XML that is accepted: " + e.getMessage());
        }
        String namespace = envelope.getNamespaceURI();
        if (!"Envelope".equals(envelope.getLocalName())
                || !(SoapVersion.V1_1.namespace.equals(namespace) || SoapVersion.V1_2.namespace.equals(namespace))) {
            throw invalid("the service's answer is not a SOAP envelope");
        }
        Element body = SoapXml.child(envelope, namespace, "Body");
        if (body == null) {
            throw invalid("the service's SOAP envelope has no Body");
        }
        Element content = SoapXml.children(body).stream().findFirst().orElse(null);
        if (content != null && "Fault".equals(content.getLocalName()) && namespace.equals(content.getNamespaceURI())) {
            throw fault(content, namespace);
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw invalid("the service answered " + answer.status() + " without a SOAP Fault");
        }
        Headers headers = answer.headers().without("Content-Length").without("Transfer-Encoding")
                .without("Content-Encoding").without("SOAPAction");
        if (asXml) {
            String text = content == null ? "" : SoapXml.text(content);
            return new Response(answer.status(), headers.with("Content-Type", "application/xml; charset=utf-8"),
                    Body.of(text));
        }
        JsonNode tree;
        try {
            tree = content == null ? json.createObjectNode() : xml.json(content);
        } catch (IllegalArgumentException e) {
            throw invalid("the service's answer cannot be converted: " + e.getMessage());
        }
        return new Response(answer.status(), headers.with("Content-Type", "application/json"),
                Body.of(json.writeValueAsBytes(tree)));
    }

    /** SOAP 1.1: faultcode and faultstring; SOAP 1.2: Code/Value and Reason/Text. */
    private ProblemException fault(Element fault, String namespace) {
        String code;
        String reason;
        if (SoapVersion.V1_1.namespace.equals(namespace)) {
            code = text(SoapXml.child(fault, null, "faultcode"));
            reason = text(SoapXml.child(fault, null, "faultstring"));
        } else {
            Element codeElement = SoapXml.child(fault, namespace, "Code");
            code = codeElement == null ? null : text(SoapXml.child(codeElement, namespace, "Value"));
            Element reasonElement = SoapXml.child(fault, namespace, "Reason");
            reason = reasonElement == null ? null : text(SoapXml.child(reasonElement, namespace, "Text"));
        }
        return new ProblemException(faultStatus, "SOAP_FAULT", "SOAP Fault",
                (code == null ? "Fault" : code) + ": " + (reason == null ? "the service gave no reason" : reason))
                .withHeader("Soap-Fault-Code", code == null ? "" : code);
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent().strip();
    }

    private byte[] read(Body body, int status, String key, String title, String what) throws IOException {
        if (body.length() > maxBody) {
            throw new ProblemException(status, key, title, what + " is larger than " + maxBody + " bytes");
        }
        try {
            return body.limit(maxBody).bytes();
        } catch (ProblemException tooLarge) {
            throw new ProblemException(status, key, title, what + " is larger than " + maxBody + " bytes");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(502, "UPSTREAM_BODY_INVALID", "Bad Gateway", detail);
    }

    /** A client that names XML and not JSON in its Accept header gets the Body's XML. */
    static boolean wantsXml(String accept) {
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase();
        return (lower.contains("application/xml") || lower.contains("text/xml")) && !lower.contains("json");
    }
}
