package io.portico.core.plugin;

import java.util.List;

/**
 * What one file in the plugins folder gave, for {@code bin/portico plugins}.
 *
 * @param file    the file's name
 * @param id      the plugin id
 * @param version the plugin's version, or null when it did not load
 * @param filters the filter names it provides, with their phase ({@code cors (edge)})
 * @param failure why it did not load, or null
 */
public record PluginStatus(String file, String id, String version, List<String> filters, String failure) {
}
