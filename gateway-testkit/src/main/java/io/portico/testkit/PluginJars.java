package io.portico.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plugin jars for tests that load them from a folder, as a user's gateway does. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * The jar a plugin module's build made, as the failsafe plugin passes it in the system
     * property {@code plugin.jar}.
     *
     * @throws IllegalStateException when the property is unset or the jar is missing (run the test
     *                               with {@code mvn verify}, after {@code package})
     */
    public static Path built() {
        String property = System.getProperty("plugin.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new IllegalStateException("no built plugin jar at '" + property
                    + "': integration tests run after the jar is packaged, with mvn verify");
        }
        return Path.of(property);
    }

    /** A new temporary folder holding copies of {@code jars}: a plugins folder. */
    public static Path folderWith(Path... jars) throws IOException {
        Path folder = Files.createTempDirectory("portico-plugins");
        for (Path jar : jars) {
            Files.copy(jar, folder.resolve(jar.getFileName()));
        }
        return folder;
    }
}
