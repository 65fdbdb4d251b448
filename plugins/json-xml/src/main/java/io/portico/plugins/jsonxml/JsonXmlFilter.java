package io.portico.plugins.jsonxml;

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

/**
 * Converts whole bodies, read up to the bound: a conversion either succeeds whole or answers a
 * problem (400 for the client's body, 502 for the upstream's); nothing half-converted is sent.
 * A blocking filter: it reads bodies.
 */
final class JsonXmlFilter implements GatewayFilter {
    private final JsonXmlFactory.Direction request;
    private final JsonXmlFactory.Direction response;
    private final long maxBody;
    private final JsonToXml toXml;
    private final XmlToJson toJson;
    private final ObjectMapper json = new ObjectMapper();

    JsonXmlFilter(JsonXmlFactory.Config config, JsonToXml toXml, XmlToJson toJson) {
        this.request = config.request();
        this.response = config.response();
        this.maxBody = config.maxBody().bytes();
        this.toXml = toXml;
        this.toJson = toJson;
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        Exchange next = exchange;
        Request original = exchange.request();
        if (request != JsonXmlFactory.Direction.NONE && !original.body().isEmpty()) {
            byte[] body = read(original.body(), 413, "BODY_TOO_LARGE", "Content Too Large", "the request body");
            byte[] converted = convert(request, body, 400, "BAD_REQUEST", "Bad Request", "the request body");
            next = exchange.withRequest(original.withHeaders(retyped(original.headers(), request))
                    .withBody(Body.of(converted)));
        }
        Response answer = chain.proceed(next);
        if (response == JsonXmlFactory.Direction.NONE || answer.body().isEmpty() || answer.status() == 304) {
            return answer;
        }
        byte[] body = read(answer.body(), 502, "UPSTREAM_BODY_TOO_LARGE", "Bad Gateway", "the upstream's answer");
        byte[] converted = convert(response, body, 502, "UPSTREAM_BODY_INVALID", "Bad Gateway", "the upstream's answer");
        return answer.withHeaders(retyped(answer.headers(), response)).withBody(Body.of(converted));
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

    private byte[] convert(JsonXmlFactory.Direction direction, byte[] body, int status, String key, String title,
                           String what) {
        try {
            if (direction == JsonXmlFactory.Direction.JSON_TO_XML) {
                JsonNode tree;
                try {
                    tree = json.readTree(body);
                } catch (IOException e) {
                    throw new IllegalArgumentException("the JSON is malformed");
                }
                return toXml.convert(tree, body.length);
            }
            return json.writeValueAsBytes(toJson.convert(body));
        } catch (IllegalArgumentException | IOException e) {
            throw new ProblemException(status, key, title, what + " cannot be converted: " + e.getMessage());
        }
    }

    private static Headers retyped(Headers headers, JsonXmlFactory.Direction direction) {
        return headers.without("Content-Length").without("Transfer-Encoding").without("Content-Encoding")
                .with("Content-Type", direction == JsonXmlFactory.Direction.JSON_TO_XML
                        ? "application/xml; charset=utf-8" : "application/json");
    }
}
