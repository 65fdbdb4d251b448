package io.portico.api;

import org.pf4j.ExtensionPoint;

/**
 * Makes the filters of one kind of plugin. The gateway finds factories in plugin jars (as PF4J
 * extensions) and calls {@link #create} once per place the plugin is named in the configuration,
 * when that configuration is loaded, never per request.
 *
 * <p>The configuration under the plugin's {@code config:} key is bound to {@link #configType()}: a
 * record whose components are named as the YAML keys in camel case ({@code max-age} binds
 * {@code maxAge}). Validate in the record's compact constructor by throwing
 * {@link IllegalArgumentException}; the gateway reports the message with the YAML path and line.
 *
 * @param <C> the plugin's configuration record
 */
public interface FilterFactory<C extends Record> extends ExtensionPoint {

    /** The name used in YAML ({@code key-auth}): lower case words joined by hyphens, unique. */
    String name();

    /** The configuration record type. */
    Class<C> configType();

    /** The phase the filters run in. */
    Phase phase();

    /**
     * Makes one filter for one place in the configuration.
     *
     * <p>A filter that holds something to release (a connection, a file, a thread) implements
     * {@link AutoCloseable} as well: the gateway closes it once, when the configuration it was
     * created for is retired and its last request has finished, at once when that configuration
     * is refused, or when the gateway stops; an exception from {@code close} is logged. (Since
     * API 1.1.)
     *
     * @param config  the bound, validated configuration
     * @param context what the host lends the plugin
     * @return a thread-safe filter
     * @throws IllegalArgumentException when the configuration is invalid in a way the record could
     *                                  not check alone; the message reaches the operator
     */
    GatewayFilter create(C config, PluginContext context);
}
