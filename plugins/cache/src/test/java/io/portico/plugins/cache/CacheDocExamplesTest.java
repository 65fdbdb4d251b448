package io.portico.plugins.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every YAML example of docs/plugins/cache.md starts a gateway. */
class CacheDocExamplesTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExampleLoads() throws Exception {
        String page = Files.readString(Path.of("../../docs/plugins/cache.md"));
        List<String> examples = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(page);
        while (matcher.find()) {
            examples.add(matcher.group(1));
        }
        assertTrue(examples.size() >= 3, "the page has its examples");
        for (String example : examples) {
            try (TestGateway gateway = TestGateway.builder().yaml(example)
                    .env("CATALOG_URL", "http://127.0.0.1:9")
                    .env("ACCOUNT_URL", "http://127.0.0.1:9")
                    .env("PURGE_TOKEN_SHA256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                    .filters(new CacheFactory()).start()) {
                assertTrue(gateway.port() > 0, example);
            }
        }
    }
}
