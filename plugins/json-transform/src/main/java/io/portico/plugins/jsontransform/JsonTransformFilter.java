package io.portico.plugins.jsontransform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portico.api.Body;
import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.GatewayFilter;
import io.portico.api.Headers;
import io.portico.api.ProblemException;
import io.portico.api.Response;
import java.io.IOException;

/**
 * Changes JSON bodies whole, read up to the bound: either every change is made or the exchange gets
 * a problem (400 or 413 for the client's body, 502 for the upstream's); nothing half-changed is
 * sent. Bodies that are not JSON, are compressed, or are empty pass untouched, streamed.
 */
final class JsonTransformFilter implements GatewayFilter {
    private final BodyChanges request;
    private final BodyChanges response;
    private final long maxBody;
    private final ObjectMapper json = new ObjectMapper();

    JsonTransformFilter(BodyChanges request, BodyChanges response, long maxBody) {
        this.request = request;
        this.response = response;
        this.maxBody = maxBody;
    }

    @Override
    public Response filter(Exchange exchange, FilterChain chain) throws Exception {
        Exchange next = exchange;
        io.portico.api.Request original = exchange.request();
        if (!request.isEmpty() && changeable(original.headers(), original.body())) {
            byte[] body = read(original.body(), 413, "BODY_TOO_LARGE", "Content Too Large", "the request body");
            JsonNode tree = parse(body, 400, "BAD_REQUEST", "Bad Request", "the request body");
            request.apply(tree, exchange);
            next = exchange.withRequest(original.withHeaders(resized(original.headers()))
                    .withBody(Body.of(json.writeValueAsBytes(tree))));
        }
        Response answer = chain.proceed(next);
        if (response.isEmpty() || !changeable(answer.headers(), answer.body())) {
            return answer;
        }
        byte[] body = read(answer.body(), 502, "UPSTREAM_BODY_TOO_LARGE", "Bad Gateway", "the upstream's answer");
        JsonNode tree = parse(body, 502, "UPSTREAM_BODY_INVALID", "Bad Gateway", "the upstream's answer");
        response.apply(tree, next);
        return answer.withHeaders(resized(answer.headers())).withBody(Body.of(json.writeValueAsBytes(tree)));
    }

    /** JSON ({@code application/json} or {@code +json}), not compressed, not empty. */
    private static boolean changeable(Headers headers, Body body) {
        if (body.isEmpty()) {
            return false;
        }
        String encoding = headers.first("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            return false;
        }
        String type = headers.first("Content-Type");
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase();
        return media.equals("application/json") || media.endsWith("+json");
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

    private JsonNode parse(byte[] body, int status, String key, String title, String what) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new IOException("empty");
            }
            return tree;
        } catch (IOException e) {
            throw new ProblemException(status, key, title, what + " is not JSON");
        }
    }

    private static Headers resized(Headers headers) {
        return headers.without("Content-Length").without("Transfer-Encoding");
    }
}
