package io.portico.plugins.ratelimit;

import io.portico.api.InvalidConfigException;

/** Checks {@code host:port} values where the configuration lists nodes. */
final class HostPorts {
    private HostPorts() {
    }

    static void check(String field, String value) {
        int colon = value.lastIndexOf(':');
        boolean valid = colon > 0 && colon < value.length() - 1;
        if (valid) {
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                valid = port > 0 && port < 65536;
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        InvalidConfigException.require(valid, field, "'" + value + "' is not host:port");
    }
}
