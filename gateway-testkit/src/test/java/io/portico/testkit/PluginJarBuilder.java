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
        return pack(target, "greeting", java.util.Map.of("test/greeting/GreetingFactory.java", source), apiVersion,
                name -> true);
    }

    /**
     * A plugin {@code fragile} whose factory fails the way a broken jar does.
     *
     * @param failure {@code constructor}: its factory's constructor throws, so PF4J cannot make
     *                the extension; {@code missing-class}: a class its filter needs is left out
     *                of the jar
     */
    static Path fragile(Path target, String failure) throws IOException {
        String factory = """
                package test.fragile;

                import io.portico.api.*;

                @org.pf4j.Extension
                public final class FragileFactory implements FilterFactory<FragileFactory.Config> {
                    public record Config() {
                    }

                    public FragileFactory() {
                        if (CONSTRUCTOR_THROWS) {
                            throw new IllegalStateException("cannot start");
                        }
                    }

                    public String name() {
                        return "fragile";
                    }

                    public Class<Config> configType() {
                        return Config.class;
                    }

                    public Phase phase() {
                        return Phase.EDGE;
                    }

                    public GatewayFilter create(Config config, PluginContext context) {
                        return new Helper().filter();
                    }
                }
                """.replace("CONSTRUCTOR_THROWS", String.valueOf(failure.equals("constructor")));
        String helper = """
                package test.fragile;

                import io.portico.api.*;

                final class Helper {
                    GatewayFilter filter() {
                        return (exchange, chain) -> chain.proceed(exchange);
                    }
                }
                """;
        return pack(target, "fragile", java.util.Map.of("test/fragile/FragileFactory.java", factory,
                "test/fragile/Helper.java", helper), io.portico.api.PluginApi.version(),
                name -> !(failure.equals("missing-class") && name.endsWith("Helper.class")));
    }

    /** Compiles {@code sources} (path to text) with PF4J's processor and packs the classes {@code keep} accepts. */
    private static Path pack(Path target, String pluginId, java.util.Map<String, String> sources, String apiVersion,
                             java.util.function.Predicate<String> keep) throws IOException {
        Path work = Files.createTempDirectory("plugin-source");
        java.util.List<String> files = new java.util.ArrayList<>();
        for (var entry : sources.entrySet()) {
            Path file = work.resolve("src").resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry.getValue());
            files.add(file.toString());
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("-proc:full", "-d",
                classes.toString(), "-cp", System.getProperty("java.class.path")));
        arguments.addAll(files);
        int result = compiler.run(null, null, null, arguments.toArray(String[]::new));
        if (result != 0) {
            throw new IllegalStateException("the test plugin did not compile");
        }
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", pluginId);
        attributes.putValue("Plugin-Version", "1.0.0");
        if (apiVersion != null) {
            attributes.putValue("Portico-Api-Version", apiVersion);
        }
        Path temporary = Files.createTempFile(work, pluginId, ".jar");
        try (OutputStream out = Files.newOutputStream(temporary); JarOutputStream jar = new JarOutputStream(out, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(path).toString().replace('\\', '/');
                if (keep.test(name)) {
                    jar.putNextEntry(new JarEntry(name));
                    Files.copy(path, jar);
                    jar.closeEntry();
                }
            }
        }
        // a finished file appears at once, as a careful user's `mv` would make it
        return Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
