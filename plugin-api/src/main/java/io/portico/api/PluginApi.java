package io.portico.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this plugin API, {@code MAJOR.MINOR}. A plugin records the version it was built
 * against in its manifest as {@code Portico-Api-Version}; the gateway loads it only when the major
 * versions are equal and the plugin's minor version is not newer than the gateway's. A minor
 * version adds to the API; a major version changes or removes something.
 */
public final class PluginApi {

    /** The manifest attribute a plugin jar declares its API version in. */
    public static final String MANIFEST_ATTRIBUTE = "Portico-Api-Version";

    private PluginApi() {
    }

    /** The version this copy of the API is. */
    public static String version() {
        try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("plugin-api.properties is missing from the plugin API jar", e));
        }
    }

    /**
     * Whether a plugin built against {@code pluginVersion} runs on a gateway providing {@code hostVersion}.
     *
     * @throws IllegalArgumentException when either is not {@code MAJOR.MINOR}
     */
    public static boolean compatible(String pluginVersion, String hostVersion) {
        int[] plugin = parse(pluginVersion);
        int[] host = parse(hostVersion);
        return plugin[0] == host[0] && plugin[1] <= host[1];
    }

    private static int[] parse(String version) {
        String[] parts = version == null ? new String[0] : version.trim().split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("'" + version + "' is not a MAJOR.MINOR version");
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + version + "' is not a MAJOR.MINOR version");
        }
    }
}
