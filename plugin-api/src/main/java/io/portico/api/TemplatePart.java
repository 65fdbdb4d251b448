package io.portico.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/** One piece of a {@link Template}: literal text, or where a placeholder's value comes from. */
sealed interface TemplatePart {

    void appendTo(StringBuilder out, Exchange exchange);

    record Literal(String text) implements TemplatePart {
        @Override
        public void appendTo(StringBuilder out, Exchange exchange) {
            out.append(text);
        }
    }

    /** Decided at parse time, so a request only reads the value. */
    record Placeholder(Kind kind, String name) implements TemplatePart {

        enum Kind { CONSUMER_ID, CONSUMER_GROUPS, PATH, HEADER, QUERY, ROUTE_ID, ROUTE_UPSTREAM, REQUEST_ID, CLIENT_ADDRESS }

        static Placeholder parse(String placeholder) {
            String text = placeholder.strip();
            int dot = text.indexOf('.');
            String scope = dot < 0 ? text : text.substring(0, dot);
            String rest = dot < 0 ? "" : text.substring(dot + 1);
            Placeholder parsed = switch (scope) {
                case "consumer" -> switch (rest) {
                    case "id" -> new Placeholder(Kind.CONSUMER_ID, null);
                    case "groups" -> new Placeholder(Kind.CONSUMER_GROUPS, null);
                    default -> null;
                };
                case "path" -> rest.isEmpty() ? null : new Placeholder(Kind.PATH, rest);
                case "header" -> rest.isEmpty() ? null : new Placeholder(Kind.HEADER, rest);
                case "query" -> rest.isEmpty() ? null : new Placeholder(Kind.QUERY, rest);
                case "route" -> switch (rest) {
                    case "id" -> new Placeholder(Kind.ROUTE_ID, null);
                    case "upstream" -> new Placeholder(Kind.ROUTE_UPSTREAM, null);
                    default -> null;
                };
                case "request" -> "id".equals(rest) ? new Placeholder(Kind.REQUEST_ID, null) : null;
                case "client" -> "address".equals(rest) ? new Placeholder(Kind.CLIENT_ADDRESS, null) : null;
                default -> null;
            };
            if (parsed == null) {
                throw new IllegalArgumentException("'{" + placeholder + "}' is not a placeholder; use {consumer.id},"
                        + " {consumer.groups}, {path.NAME}, {header.NAME}, {query.NAME}, {route.id}, {route.upstream},"
                        + " {request.id} or {client.address}");
            }
            return parsed;
        }

        @Override
        public void appendTo(StringBuilder out, Exchange exchange) {
            String value = switch (kind) {
                case CONSUMER_ID -> exchange.consumer().map(Consumer::id).orElse(null);
                case CONSUMER_GROUPS -> exchange.consumer().map(consumer -> String.join(",",
                        new TreeSet<>(consumer.groups()))).orElse(null);
                case PATH -> exchange.route().pathVariable(name);
                case HEADER -> exchange.request().header(name);
                case QUERY -> printable(query(exchange.request().query(), name));
                case ROUTE_ID -> exchange.route().id();
                case ROUTE_UPSTREAM -> exchange.route().upstream();
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
}
