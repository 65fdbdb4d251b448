package io.portico.plugins.jwt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/plugins/jwt.md load as Portico loads a configuration (acl is left to the zip's test). */
class JwtDocsTest {

    @Test
    void everyExampleOfThePageBuilds() throws Exception {
        String page = java.nio.file.Files.readString(Path.of("../../docs/plugins/jwt.md"));
        int built = 0;
        for (String block : DocExamples.yamlBlocks(page)) {
            if (block.contains("name: acl")) {
                continue;
            }
            DocExamples.buildAll(write(block), Map.of(), new JwtFactory());
            built++;
        }
        assertTrue(built >= 2, "examples built: " + built);
    }

    private static Path write(String block) throws Exception {
        Path file = java.nio.file.Files.createTempFile("jwt-doc", ".md");
        java.nio.file.Files.writeString(file, "```yaml\n" + block + "```\n");
        return file;
    }
}
