package io.portico.core.config;

/**
 * The JSON access log: one line per request.
 *
 * @param enabled whether to write it; default true
 * @param path    {@code stdout}, or a file (relative paths from the home folder); default {@code stdout}
 */
public record AccessLogConfig(Boolean enabled, String path) {

    public AccessLogConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        path = path == null ? "stdout" : path;
    }

    static AccessLogConfig defaults() {
        return new AccessLogConfig(null, null);
    }
}
