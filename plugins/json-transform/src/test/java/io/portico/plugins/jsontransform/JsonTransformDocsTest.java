package io.portico.plugins.jsontransform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/json-transform.md load as Portico loads a configuration. */
class JsonTransformDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        assertTrue(DocExamples.buildAll(Path.of("../../docs/plugins/json-transform.md"), Map.of(),
                new JsonTransformFactory()) >= 1);
    }
}
