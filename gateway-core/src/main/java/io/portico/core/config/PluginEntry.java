package io.portico.core.config;

import io.portico.api.InvalidConfigException;

/**
 * A plugin named on a route or globally, with its own configuration, bound later to the plugin's
 * configuration record.
 *
 * @param name   the plugin's name ({@code key-auth})
 * @param config the plugin's configuration as written, or null for none
 */
public record PluginEntry(String name, ConfigNode config) {

    public PluginEntry {
        InvalidConfigException.require(name != null && !name.isBlank(), "name", "must name a plugin");
    }
}
