package io.portico.testkit;

import io.portico.api.FilterFactory;
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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.client.HttpClient;

/**
 * The configuration examples of a documentation page, checked the way Portico loads a
 * configuration, so a page cannot drift from what Portico accepts.
 */
public final class DocExamples {
    private DocExamples() {
    }

    /**
     * Every {@code ```yaml} block of {@code markdown} that is a whole configuration (it has
     * {@code routes:} or starts with {@code server:}).
     */
    public static List<String> configurations(Path markdown) throws IOException {
        List<String> blocks = new ArrayList<>();
        for (String block : yamlBlocks(Files.readString(markdown))) {
            if (block.contains("routes:") || block.startsWith("server:")) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /**
     * Loads and builds every configuration example of a page with these plugins, as
     * {@code bin/portico validate} does: binding each plugin's configuration and creating its
     * filters. {@code ${NAME}} variables take values from {@code variables}, else their defaults.
     *
     * @return how many examples were built
     * @throws AssertionError naming the example and every problem, when one does not build;
     *                        also when the page has no example at all
     */
    public static int buildAll(Path markdown, Map<String, String> variables, FilterFactory<?>... factories)
            throws IOException {
        List<String> examples = configurations(markdown);
        if (examples.isEmpty()) {
            throw new AssertionError(markdown + " has no configuration example");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            StaticFilterCatalog catalog = new StaticFilterCatalog(List.of(factories), Clock.systemUTC(), scheduler,
                    markdown.getParent());
            for (int i = 0; i < examples.size(); i++) {
                String name = markdown.getFileName() + " example " + (i + 1);
                try {
                    LoadedConfig loaded = new ConfigLoader(variables::get).parse(examples.get(i), name);
                    new SnapshotBuilder(new HttpClient(), catalog, Clock.systemUTC()).build(loaded, 0);
                } catch (Exception e) {
                    throw new AssertionError(name + " does not build:\n" + e.getMessage() + "\n" + examples.get(i), e);
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
        return examples.size();
    }

    /** The content of every {@code ```yaml} block of a Markdown text, in order. */
    public static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = markdown.indexOf("```yaml\n", at)) >= 0) {
            int end = markdown.indexOf("\n```", at + 8);
            blocks.add(markdown.substring(at + 8, end + 1));
            at = end + 4;
        }
        return blocks;
    }
}
