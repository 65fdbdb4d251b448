package io.portico.plugins.jsonxml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/json-xml.md load as Portico loads a configuration. */
class JsonXmlDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        assertTrue(DocExamples.buildAll(Path.of("../../docs/plugins/json-xml.md"), Map.of(), new JsonXmlFactory()) >= 1);
    }
}
