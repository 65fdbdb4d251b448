package io.portico.plugins.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of the key-auth, basic-auth and acl pages load as Portico loads a configuration. */
class DocsTest {

    @Test
    void everyExampleOfThePluginsPagesBuilds() throws Exception {
        for (String page : new String[] {"key-auth", "basic-auth", "acl"}) {
            int built = DocExamples.buildAll(Path.of("../../docs/plugins/" + page + ".md"), Map.of(),
                    new KeyAuthFactory(), new BasicAuthFactory(), new AclFactory());
            assertTrue(built >= 1, page + ": no example built");
        }
    }
}
