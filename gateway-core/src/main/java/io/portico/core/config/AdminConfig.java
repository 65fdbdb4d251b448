package io.portico.core.config;

/**
 * The admin endpoints ({@code /health}, {@code /routes}, {@code /reload}) on their own port.
 *
 * @param host where they listen; default {@code 127.0.0.1}, never the public address by default
 * @param port the port; {@code 0} picks a free one
 */
public record AdminConfig(String host, Integer port) {

    public AdminConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 9901 : port;
    }
}
