package io.portico.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a small filter plugin from source and packs it as a PF4J jar, as a plugin author's
 * build would: {@code @Extension}, annotation processing, and the manifest entries.
 */
final class PluginJarBuilder {
    private PluginJarBuilder() {
    }

    /**
     * A plugin {@code greeting} whose filter adds {@code X-Greeting: <greeting>} to responses.
     *
     * @param apiVersion what its manifest says it was built against
     */
    static Path greeting(Path target, String greeting, String apiVersion) throws IOException {
        String source = """
                package test.greeting;

                import io.portico.api.*;

                @org.pf4j.Extension
                public final class GreetingFactory implements FilterFactory<GreetingFactory.Config> {
                    public record Config(String suffix) {
                    }

                    public String name() {
                        return "greeting";
                    }

                    public Class<Config> configType() {
                        return Config.class;
                    }

                    public Phase phase() {
                        return Phase.EDGE;
                    }

                    public GatewayFilter create(Config config, PluginContext context) {
                        String value = "GREETING" + (config.suffix() == null ? "" : config.suffix());
                        return (exchange, chain) -> chain.proceed(exchange).withHeader("X-Greeting", value);
                    }
                }
                """.replace("GREETING", greeting);
        Path work = Files.createTempDirectory("plugin-source");
        Path file = work.resolve("src/test/greeting/GreetingFactory.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int result = compiler.run(null, null, null, "-proc:full", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        if (result != 0) {
            throw new IllegalStateException("the test plugin did not compile");
        }
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", "greeting");
        attributes.putValue("Plugin-Version", "1.0.0");
        if (apiVersion != null) {
            attributes.putValue("Portico-Api-Version", apiVersion);
        }
        Path temporary = Files.createTempFile(work, "greeting", ".jar");
        try (OutputStream out = Files.newOutputStream(temporary); JarOutputStream jar = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
        // a finished file appears at once, as a careful user's `mv` would make it
        return Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
