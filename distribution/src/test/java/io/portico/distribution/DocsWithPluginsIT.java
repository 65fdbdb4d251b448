package io.portico.distribution;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.PluginFolder;
import io.portico.core.observe.GatewayMetrics;
import io.portico.core.server.SnapshotBuilder;
import io.portico.testkit.DocExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every configuration example in docs/ that names plugins builds with the plugins the zip ships,
 * loaded from its plugins/ folder as bin/portico loads them: a page cannot show a plugin or a key
 * that the zip does not have.
 */
class DocsWithPluginsIT {

    @TestFactory
    List<DynamicTest> everyExampleNamingPluginsBuildsWithTheBundledPlugins() throws Exception {
        Path docs = Path.of("..", "docs").toAbsolutePath().normalize();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            // writing-a-plugin.md names the plugin it teaches to build; DropInPluginIT runs that one
            for (Path file : files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> !f.endsWith("writing-a-plugin.md")).sorted().toList()) {
                List<String> blocks = DocExamples.yamlBlocks(Files.readString(file));
                for (int i = 0; i < blocks.size(); i++) {
                    String block = blocks.get(i);
                    if ((block.contains("routes:") || block.startsWith("server:")) && block.contains("plugins:")) {
                        String name = docs.relativize(file) + " example " + (i + 1);
                        tests.add(DynamicTest.dynamicTest(name, () -> build(block, name)));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no examples with plugins under " + docs);
        return tests;
    }

    /** Pages write ${CATALOG_URL} where a reader puts their own value; any well-formed one does here. */
    private static String placeholder(String variable) {
        if (variable.startsWith("REDIS") && variable.endsWith("_URL")) {
            return "redis://127.0.0.1:6379";
        }
        if (variable.endsWith("_URL")) {
            return "http://127.0.0.1:9000";
        }
        if (variable.endsWith("SHA256")) {
            return "0".repeat(64);
        }
        return null;
    }

    private static void build(String yaml, String name) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Path home = Path.of("target", "portico").toAbsolutePath();
        try (PluginFolder plugins = new PluginFolder(home.resolve("plugins"), Files.createTempDirectory("plugin-work"),
                List.of(), Clock.systemUTC(), scheduler, home)) {
            plugins.scan();
            LoadedConfig loaded = new ConfigLoader(DocsWithPluginsIT::placeholder).parse(yaml, name);
            // js filter scripts resolve against the installation, as bin/portico resolves them
            SnapshotBuilder builder = new SnapshotBuilder(new HttpClient(), plugins.current(), Clock.systemUTC(), null,
                    new GatewayMetrics(), home);
            try {
                builder.build(loaded, 0);
            } finally {
                builder.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
