package io.portico.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    final ConfigLoader loader = new ConfigLoader(Map.of("BACKEND", "http://127.0.0.1:9001", "EMPTY", "")::get);

    List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> loader.parse(yaml, "t.yaml")).problems().stream()
                .map(ConfigProblem::toString).toList();
    }

    @Test
    void environmentVariables_andDefaults_areSubstituted() throws Exception {
        LoadedConfig loaded = loader.parse("""
                server:
                  port: ${PORT:-8181}
                  via: ${EMPTY:-edge}
                routes:
                  - id: r
                    url: ${BACKEND}
                    strip-prefix: /a$${literal}
                """, "t.yaml");
        assertEquals(8181, loaded.config().server().port());
        assertEquals("edge", loaded.config().server().via());
        assertEquals("http://127.0.0.1:9001", loaded.config().routes().get(0).url());
        assertEquals("/a${literal}", loaded.config().routes().get(0).stripPrefix());
    }

    @Test
    void unsetVariableWithoutDefault_isAProblemWithItsLine() {
        assertEquals(List.of("routes[0].url: environment variable NOPE is not set (give a default with ${NOPE:-value}) (line 4)"),
                problems("""
                        routes:
                          - id: r
                            match: { paths: [/a/**] }
                            url: ${NOPE}
                        """));
    }

    @Test
    void keepAliveTimeout_isADuration_withinBounds() {
        assertEquals(List.of("upstreams.u.keep-alive-timeout: must be between 1ms and 1h (line 4)"),
                problems("""
                        upstreams:
                          u:
                            targets: [{ url: "http://127.0.0.1:9001" }]
                            keep-alive-timeout: 0s
                        routes:
                          - id: r
                            upstream: u
                        """));
    }

    @Test
    void durationsAndSizes_haveUnits() throws Exception {
        LoadedConfig loaded = loader.parse("""
                server:
                  drain-timeout: 1500ms
                  limits: { max-body-size: 2GB, max-header-size: 16KB, idle-timeout: 2m }
                upstreams:
                  u: { targets: [{ url: "http://127.0.0.1:1" }], read-timeout: 1h }
                """, "t.yaml");
        assertEquals(Duration.ofMillis(1500), loaded.config().server().drainTimeout());
        assertEquals(2L * 1024 * 1024 * 1024, loaded.config().server().limits().maxBodySize().bytes());
        assertEquals(16 * 1024, loaded.config().server().limits().maxHeaderSize().bytes());
        assertEquals(Duration.ofMinutes(2), loaded.config().server().limits().idleTimeout());
        assertEquals(Duration.ofHours(1), loaded.config().upstreams().get("u").readTimeout());
    }

    @Test
    void everyProblem_isReportedAtOnce_withPathAndLine_inLineOrder() {
        assertEquals(List.of(
                "server.port: '80a' is not a whole number (line 2)",
                "server.drain-timeout: '5 parsecs' has an unknown unit: use ms, s, m, h or d (line 3)",
                "upstreams.u.balancer: 'random' is not one of: round-robin, least-requests, consistent-hash (line 6)",
                "routes[0].colour: unknown key 'colour'; the keys here are: id, match, upstream, url, strip-prefix, rewrite,"
                        + " preserve-host, timeout, max-body-size, plugins (line 10)",
                "routes[1].match.methods: 'get' is not an upper-case method name (line 13)",
                "routes[2].url: set either upstream or url, not both (line 17)"),
                problems("""
                        server:
                          port: 80a
                          drain-timeout: 5 parsecs
                        upstreams:
                          u:
                            balancer: random
                            targets: [{ url: "http://127.0.0.1:1" }]
                        routes:
                          - id: a
                            colour: blue
                            url: http://x:1
                          - id: b
                            match: { methods: [get] }
                            url: http://x:1
                          - id: c
                            upstream: u
                            url: http://x:1
                        """));
    }

    @Test
    void duplicateKeys_andBrokenYaml_areProblemsWithLines() {
        assertEquals(List.of("server.port: appears twice in the same mapping (line 3)"), problems("""
                server:
                  port: 1
                  port: 2
                """));
        List<String> broken = problems("routes:\n  - id: a\n    url: [unclosed\n");
        assertEquals(1, broken.size());
        assertEquals(true, broken.get(0).startsWith("not valid YAML: "), broken.get(0));
    }

    @Test
    void consistentHash_needsHashOn() {
        assertEquals(List.of("upstreams.u.hash-on: consistent-hash needs hash-on (header, cookie or client-ip) (line 3)"),
                problems("""
                        upstreams:
                          u:
                            balancer: consistent-hash
                            targets: [{ url: "http://127.0.0.1:1" }]
                        """));
    }
}
