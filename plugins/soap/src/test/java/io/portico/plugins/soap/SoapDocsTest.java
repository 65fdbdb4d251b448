package io.portico.plugins.soap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/plugins/soap.md load as Portico loads a configuration. Their WSDL path is
 * relative to Portico's home, where the zip puts docs/; the page is built from a folder laid out
 * the same way (DocExamples resolves files against the page's folder).
 */
class SoapDocsTest {

    @Test
    void everyExampleOfThePageBuilds(@TempDir Path home) throws Exception {
        Path docs = Path.of("../../docs/plugins");
        Files.createDirectories(home.resolve("docs/plugins/soap"));
        Files.copy(docs.resolve("soap/users.wsdl"), home.resolve("docs/plugins/soap/users.wsdl"));
        Path page = Files.copy(docs.resolve("soap.md"), home.resolve("soap.md"));
        assertTrue(DocExamples.buildAll(page, Map.of(), new SoapFactory()) >= 1);
    }
}
