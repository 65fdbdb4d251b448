package io.portico.plugins.soap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/soap.md load as Portico loads a configuration, the WSDL beside the page included. */
class SoapDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        assertTrue(DocExamples.buildAll(Path.of("../../docs/plugins/soap.md"), Map.of(), new SoapFactory()) >= 1);
    }
}
