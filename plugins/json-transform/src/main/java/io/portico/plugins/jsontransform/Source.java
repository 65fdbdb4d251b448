package io.portico.plugins.jsontransform;

import io.portico.api.Exchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where a placeholder's value comes from: decided at load, so a request only reads it. */
record Source(Kind kind, String name) implements Template.Part {

    enum Kind { CONSUMER_ID, CONSUMER_GROUPS, PATH, HEADER, QUERY, ROUTE_ID, REQUEST_ID, CLIENT_ADDRESS }

    static Source parse(String placeholder) {
        String text = placeholder.strip();
        int dot = text.indexOf('.');
        String scope = dot < 0 ? text : text.substring(0, dot);
        String rest = dot < 0 ? "" : text.substring(dot + 1);
        Source source = switch (scope) {
            case "consumer" -> switch (rest) {
                case "id" -> new Source(Kind.CONSUMER_ID, null);
                case "groups" -> new Source(Kind.CONSUMER_GROUPS, null);
                default -> null;
            };
            case "path" -> rest.isEmpty() ? null : new Source(Kind.PATH, rest);
            case "header" -> rest.isEmpty() ? null : new Source(Kind.HEADER, rest);
            case "query" -> rest.isEmpty() ? null : new Source(Kind.QUERY, rest);
            case "route" -> "id".equals(rest) ? new Source(Kind.ROUTE_ID, null) : null;
            case "request" -> "id".equals(rest) ? new Source(Kind.REQUEST_ID, null) : null;
            case "client" -> "address".equals(rest) ? new Source(Kind.CLIENT_ADDRESS, null) : null;
            default -> null;
        };
        if (source == null) {
            throw new IllegalArgumentException("'{" + placeholder + "}' is not a placeholder; use {consumer.id},"
                    + " {consumer.groups}, {path.NAME}, {header.NAME}, {query.NAME}, {route.id}, {request.id}"
                    + " or {client.address}");
        }
        return source;
    }

    @Override
    public void appendTo(StringBuilder out, Exchange exchange) {
        String value = switch (kind) {
            case CONSUMER_ID -> exchange.consumer().map(consumer -> consumer.id()).orElse(null);
            case CONSUMER_GROUPS -> exchange.consumer().map(consumer -> String.join(",",
                    new java.util.TreeSet<>(consumer.groups()))).orElse(null);
            case PATH -> exchange.route().pathVariable(name);
            case HEADER -> exchange.request().header(name);
            case QUERY -> printable(query(exchange.request().query(), name));
            case ROUTE_ID -> exchange.route().id();
            case REQUEST_ID -> exchange.requestId();
            case CLIENT_ADDRESS -> exchange.clientAddress();
        };
        if (value != null) {
            out.append(value);
        }
    }

    /** A decoded query value may hold CR or LF; such a value is treated as missing, never sent. */
    private static String printable(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return null;
            }
        }
        return value;
    }

    private static String query(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
