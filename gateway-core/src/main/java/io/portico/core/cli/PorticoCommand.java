package io.portico.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code portico}: the gateway's command line. */
@Command(name = "portico", mixinStandardHelpOptions = true, versionProvider = PorticoCommand.Version.class,
        description = "An API gateway for the JVM.",
        subcommands = {RunCommand.class, ValidateCommand.class, RoutesCommand.class, ExplainCommand.class,
                PluginsCommand.class, HashSecretCommand.class, VersionCommand.class})
final class PorticoCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static boolean isLongRunning(String[] args) {
        return args.length > 0 && args[0].equals("run");
    }

    /** The installation folder: {@code -Dportico.home}, set by {@code bin/portico}, or the working folder. */
    static Path home() {
        String home = System.getProperty("portico.home");
        return home == null ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath();
    }

    /** The configuration file: as given, or {@code conf/portico.yaml} under the home folder. */
    static Path configFile(Path given) {
        if (given != null) {
            return given.toAbsolutePath();
        }
        return home().resolve("conf").resolve("portico.yaml");
    }

    static String version() {
        try (InputStream in = PorticoCommand.class.getResourceAsStream("/io/portico/core/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    /** Feeds {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"portico " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
