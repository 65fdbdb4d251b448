package io.portico.plugins.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every yaml example of the plugin's page and of the two-node guide starts a gateway. */
class RateLimitDocsTest {

    @TestFactory
    Stream<DynamicTest> everyExampleStartsAGateway() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String page : List.of("../../docs/plugins/rate-limit.md", "../../docs/guides/two-nodes-with-redis.md")) {
            List<String> blocks = yamlBlocks(Files.readString(Path.of(page)));
            assertFalse(blocks.isEmpty(), "no yaml examples in " + page);
            for (int i = 0; i < blocks.size(); i++) {
                String yaml = blocks.get(i);
                tests.add(DynamicTest.dynamicTest(page + " example " + (i + 1), () -> {
                    try (TestGateway gateway = TestGateway.builder().yaml(yaml).filters(new RateLimitFactory())
                            .env("REDIS_URL", "redis://127.0.0.1:1").env("REDIS_PASSWORD", "x")
                            .env("ORDERS_URL", "http://127.0.0.1:9").start()) {
                        gateway.port();
                    }
                }));
            }
        }
        return tests.stream();
    }

    static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = markdown.indexOf("```yaml\n", at)) >= 0) {
            int end = markdown.indexOf("\n```", at + 8);
            blocks.add(markdown.substring(at + 8, end + 1));
            at = end + 4;
        }
        return blocks;
    }
}
