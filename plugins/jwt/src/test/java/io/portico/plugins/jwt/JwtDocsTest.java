package io.portico.plugins.jwt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/jwt.md and oauth2-introspection.md load as Portico loads a configuration (acl is left to the zip's test). */
class JwtDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        int built = 0;
        for (String block : blocks("jwt.md", "oauth2-introspection.md")) {
            if (block.contains("name: acl")) {
                continue;
            }
            DocExamples.buildAll(write(block), Map.of(), new JwtFactory(), new IntrospectionFactory());
            built++;
        }
        assertTrue(built >= 3, "examples built: " + built);
    }

    private static java.util.List<String> blocks(String... pages) throws Exception {
        java.util.List<String> blocks = new java.util.ArrayList<>();
        for (String page : pages) {
            blocks.addAll(DocExamples.yamlBlocks(java.nio.file.Files.readString(Path.of("../../docs/plugins/" + page))));
        }
        return blocks;
    }

    private static Path write(String block) throws Exception {
        Path file = java.nio.file.Files.createTempFile("jwt-doc", ".md");
        java.nio.file.Files.writeString(file, "```yaml\n" + block + "```\n");
        return file;
    }
}
