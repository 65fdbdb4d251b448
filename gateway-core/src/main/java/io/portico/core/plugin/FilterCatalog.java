package io.portico.core.plugin;

import io.portico.api.FilterFactory;
import io.portico.api.PluginContext;
import java.util.Set;

/**
 * The filter factories the gateway can name in configuration: those found in plugin jars, or,
 * in tests, given directly. The core knows no plugin by name; it only asks here.
 */
public interface FilterCatalog {

    /** The factory registered under {@code name}, or {@code null}. */
    FilterFactory<?> find(String name);

    /** Every name registered, for the message when a configuration names an unknown plugin. */
    Set<String> names();

    /** The context lent to filters made by {@code factory}. */
    PluginContext contextFor(FilterFactory<?> factory);
}
