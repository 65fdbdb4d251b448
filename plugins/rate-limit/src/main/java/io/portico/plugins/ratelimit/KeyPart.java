package io.portico.plugins.ratelimit;

import io.portico.api.Consumer;
import io.portico.api.Exchange;
import io.portico.api.InvalidConfigException;
import java.util.Locale;

/**
 * One part of what a limit counts by. Written in the configuration as {@code consumer},
 * {@code client-ip}, {@code route}, {@code upstream}, {@code header:NAME} or {@code claim:NAME}.
 *
 * @param kind which fact of the exchange
 * @param name the header or claim name; {@code null} for the other kinds
 */
record KeyPart(Kind kind, String name) {

    enum Kind { CONSUMER, CLIENT_IP, ROUTE, UPSTREAM, HEADER, CLAIM }

    /**
     * Parses one part.
     *
     * @throws InvalidConfigException naming {@code key} when the text is not a part
     */
    static KeyPart parse(String text) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        String kind = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
        String name = colon < 0 ? null : trimmed.substring(colon + 1).strip();
        switch (kind) {
            case "consumer", "client-ip", "route", "upstream" -> {
                InvalidConfigException.require(name == null, "key", "'" + text + "': " + kind + " takes no name");
                return new KeyPart(Kind.valueOf(kind.replace('-', '_').toUpperCase(Locale.ROOT)), null);
            }
            case "header", "claim" -> {
                InvalidConfigException.require(name != null && !name.isEmpty(), "key",
                        "'" + text + "': write " + kind + ":NAME, such as " + (kind.equals("header") ? "header:X-Tenant" : "claim:tenant"));
                return new KeyPart(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), name);
            }
            default -> throw new InvalidConfigException("key", "'" + text
                    + "' is not a key part; use consumer, client-ip, route, upstream, header:NAME or claim:NAME");
        }
    }

    /** This part's value for one exchange, or {@code null} when the exchange has none. */
    String value(Exchange exchange) {
        return switch (kind) {
            case CONSUMER -> {
                Consumer consumer = exchange.consumer().orElse(null);
                yield consumer == null ? null : consumer.id();
            }
            case CLIENT_IP -> exchange.clientAddress();
            case ROUTE -> exchange.route().id();
            case UPSTREAM -> exchange.route().upstream();
            case HEADER -> exchange.request().header(name);
            case CLAIM -> {
                Consumer consumer = exchange.consumer().orElse(null);
                yield consumer == null ? null : consumer.claims().get(name);
            }
        };
    }
}
