package io.portico.plugins.requestsizelimit;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/request-size-limit.md load as Portico loads a configuration. */
class DocsTest {

    @Test
    void everyExampleOnThePluginsPageBuilds() throws Exception {
        DocExamples.buildAll(Path.of("../../docs/plugins/request-size-limit.md"), Map.of(), new RequestSizeLimitFactory());
    }
}
