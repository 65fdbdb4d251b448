package io.portico.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/portico's commands that do not serve: what they print and how they exit. */
class CommandsIT {
    @TempDir
    static Path folder;
    static Installed installed;
    static Path config;

    @BeforeAll
    static void unpack() throws Exception {
        installed = Installed.unpack(folder);
        config = folder.resolve("api.yaml");
        Files.writeString(config, """
                upstreams:
                  users:
                    targets: [{ url: "http://127.0.0.1:9101" }, { url: "http://127.0.0.1:9102", weight: 2 }]
                routes:
                  - id: user
                    match: { hosts: [api.example.com], paths: ["/api/users/{id}"], methods: [GET, PUT] }
                    upstream: users
                    strip-prefix: /api
                  - id: v2
                    match: { paths: [/v2/**], headers: { X-Beta: { present: true } } }
                    url: http://127.0.0.1:9200
                """);
    }

    record Result(int exit, String output) {
    }

    static Result run(String... arguments) throws Exception {
        return runWithInput("", arguments);
    }

    static Result runWithInput(String input, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(installed.home.resolve("bin/portico").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    @Test
    void explain_namesTheRoute_variables_filters_upstream_andTheForwardedPath() throws Exception {
        Result result = run("explain", "-c", config.toString(), "GET", "http://api.example.com/api/users/42?full=1");
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("route:      user"), result.output());
        assertTrue(result.output().contains("variables:  id=42"), result.output());
        assertTrue(result.output().contains("upstream:   users -> http://127.0.0.1:9101, http://127.0.0.1:9102"), result.output());
        assertTrue(result.output().contains("forwards:   GET /users/42?full=1"), result.output());
    }

    @Test
    void explain_saysWhenNothingMatches_orTheMethodIsWrong() throws Exception {
        Result none = run("explain", "-c", config.toString(), "GET", "/v2/x");
        assertEquals(3, none.exit(), none.output());
        assertTrue(none.output().contains("404"), none.output());
        Result headers = run("explain", "-c", config.toString(), "GET", "/v2/x", "-H", "X-Beta: yes");
        assertEquals(0, headers.exit(), headers.output());
        assertTrue(headers.output().contains("route:      v2"), headers.output());
        Result method = run("explain", "-c", config.toString(), "DELETE", "http://api.example.com/api/users/1");
        assertEquals(3, method.exit(), method.output());
        assertTrue(method.output().contains("405, Allow: GET, PUT"), method.output());
    }

    @Test
    void routes_printsTheTable() throws Exception {
        Result result = run("routes", "-c", config.toString());
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.startsWith("user") && line.contains("api.example.com")
                && line.contains("/api/users/{id}") && line.contains("users")), result.output());
    }

    @Test
    void plugins_listsTheBundledPluginsAndTheirFilters() throws Exception {
        Result result = run("plugins", "-c", config.toString());
        assertEquals(0, result.exit(), result.output());
        for (String line : List.of("headers ", "cors ", "ip-restriction ", "request-size-limit ")) {
            assertTrue(result.output().lines().anyMatch(row -> row.startsWith(line) && row.contains(".jar")),
                    line + " is missing:\n" + result.output());
        }
        assertTrue(result.output().contains("cors (edge)"), result.output());
    }

    @Test
    void validate_acceptsAConfigurationNamingEveryBundledPlugin() throws Exception {
        Path withPlugins = folder.resolve("plugins.yaml");
        Files.writeString(withPlugins, """
                routes:
                  - id: all
                    match: { paths: ["/t/{tenant}/**"] }
                    url: http://127.0.0.1:9200
                    plugins:
                      - name: ip-restriction
                        config: { allow: [127.0.0.1] }
                      - name: cors
                        config: { allowed-origins: [https://app.example.com] }
                      - name: request-size-limit
                        config: { max: 1MB }
                      - name: headers
                        config: { request: { set: { X-Tenant: "{path.tenant}" } } }
                """);
        Result result = run("validate", withPlugins.toString());
        assertEquals(0, result.exit(), result.output());
        Path misspelt = folder.resolve("misspelt.yaml");
        Files.writeString(misspelt, Files.readString(withPlugins).replace("name: cors", "name: corz"));
        Result unknown = run("validate", misspelt.toString());
        assertEquals(1, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("no plugin named 'corz' is loaded; the loaded plugins are: "), unknown.output());
        assertTrue(unknown.output().contains(" cors, headers, ip-restriction, "), unknown.output());
    }

    @Test
    void aMissingTlsFile_isAProblemWithItsPathAndLine_forValidateAndRun() throws Exception {
        Path config = folder.resolve("tls.yaml");
        Files.writeString(config, """
                server:
                  tls:
                    certificate: conf/tls/missing.pem
                    key: conf/tls/missing.key
                routes: [{ id: all, url: "http://127.0.0.1:9200" }]
                """);
        for (String command : new String[] {"validate", "run"}) {
            Result result = command.equals("run") ? run("run", "--no-watch", "-c", config.toString())
                    : run("validate", config.toString());
            assertEquals(1, result.exit(), result.output());
            assertTrue(result.output().contains("server.tls.certificate: cannot be used: no file "), result.output());
            assertTrue(result.output().contains("missing.pem (line 3)"), result.output());
            assertTrue(!result.output().contains("\tat "), "no stack trace: " + result.output());
        }
    }

    @Test
    void hashSecret_hashesAnApiKeyAPasswordAndMakesNewKeys() throws Exception {
        Result key = runWithInput("s3cret-key\n", "hash-secret", "--kind", "api-key");
        assertEquals(0, key.exit(), key.output());
        // sha256("s3cret-key"), as any sha256sum prints it
        assertEquals("sha256:" + sha256Hex("s3cret-key"), key.output().strip());

        Result password = runWithInput("correct horse\n", "hash-secret", "--cost", "4");
        assertEquals(0, password.exit(), password.output());
        String bcrypt = password.output().strip();
        assertTrue(bcrypt.startsWith("$2b$04$") && bcrypt.length() == 60, bcrypt);
        assertTrue(at.favre.lib.crypto.bcrypt.BCrypt.verifyer().verify("correct horse".toCharArray(), bcrypt).verified);

        Result pbkdf2 = runWithInput("correct horse\n", "hash-secret", "--algorithm", "pbkdf2");
        assertEquals(0, pbkdf2.exit(), pbkdf2.output());
        assertTrue(pbkdf2.output().strip().matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"),
                pbkdf2.output());

        Result generated = run("hash-secret", "--kind", "api-key", "--generate");
        assertEquals(0, generated.exit(), generated.output());
        String newKey = generated.output().lines().filter(line -> line.startsWith("key:")).findFirst().orElseThrow()
                .substring(4).strip();
        assertTrue(generated.output().contains("hash: sha256:" + sha256Hex(newKey)), generated.output());

        Result empty = runWithInput("", "hash-secret");
        assertEquals(2, empty.exit(), empty.output());
        assertTrue(empty.output().contains("no secret given"), empty.output());
        Result wrongKind = run("hash-secret", "--kind", "token");
        assertTrue(wrongKind.output().contains("'token' is not a kind; use password or api-key"), wrongKind.output());
    }

    static String sha256Hex(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void version_printsPorticosAndJavasVersions() throws Exception {
        Result result = run("version");
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().startsWith("portico 0."), result.output());
        assertTrue(result.output().contains("java "), result.output());
    }
}
