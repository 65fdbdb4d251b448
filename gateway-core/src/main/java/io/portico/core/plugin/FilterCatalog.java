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

    /**
     * Why a plugin by that name is not in the catalog, when its jar failed to load: for the
     * validation message of a route that names it. {@code null} when nothing is known.
     */
    default String whyMissing(String name) {
        return null;
    }

    /** Keeps the plugin code behind this catalog loaded: a snapshot built from it is about to serve. */
    default void retain() {
    }

    /** Lets the plugin code go again once a snapshot retained by {@link #retain} has drained. */
    default void release() {
    }
}
