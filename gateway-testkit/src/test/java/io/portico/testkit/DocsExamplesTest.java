package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.core.config.ConfigLoader;
import io.portico.core.config.LoadedConfig;
import io.portico.core.plugin.StaticFilterCatalog;
import io.portico.core.server.SnapshotBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code yaml} block in {@code docs/} that starts a configuration (has {@code routes:} or
 * {@code server:} at the top level) must load and build, so the documentation cannot drift from
 * what Portico accepts. Blocks naming plugins are checked by the plugin modules' own tests, and
 * blocks naming TLS files by {@link ProtocolTest} and {@link UpstreamTlsTest}, which make those
 * files: building a configuration reads them.
 */
class DocsExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyConfigurationExampleInDocs_builds() throws IOException {
        Path docs = Path.of("..", "docs").toAbsolutePath().normalize();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                List<String> blocks = DocExamples.yamlBlocks(Files.readString(file));
                for (int i = 0; i < blocks.size(); i++) {
                    String block = blocks.get(i);
                    if (!block.contains("routes:") && !block.startsWith("server:") || block.contains("plugins:")
                            || block.contains(": conf/tls/")) {
                        continue;
                    }
                    String name = docs.relativize(file) + " example " + (i + 1);
                    tests.add(DynamicTest.dynamicTest(name, () -> build(block, name)));
                }
            }
        }
        assertFalse(tests.isEmpty(), "no configuration examples found under " + docs);
        return tests.stream();
    }

    private static void build(String yaml, String name) throws Exception {
        LoadedConfig loaded = new ConfigLoader(variable -> null).parse(yaml, name);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            new SnapshotBuilder(new HttpClient(), StaticFilterCatalog.empty(Clock.systemUTC(), scheduler),
                    Clock.systemUTC()).build(loaded, 0);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
