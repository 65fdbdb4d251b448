package io.portico.plugins.aggregate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/aggregate.md load as Portico loads a configuration. */
class AggregateDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        assertTrue(DocExamples.buildAll(Path.of("../../docs/plugins/aggregate.md"), Map.of(), new AggregateFactory()) >= 1);
    }
}
