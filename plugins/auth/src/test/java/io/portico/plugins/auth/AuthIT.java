package io.portico.plugins.auth;

import static io.portico.plugins.auth.Fixtures.basic;
import static io.portico.plugins.auth.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.testkit.PluginJars;
import io.portico.testkit.TestGateway;
import org.junit.jupiter.api.Test;

/** The built jar, dropped in a plugins folder, provides key-auth, basic-auth and acl, bcrypt included. */
class AuthIT {

    @Test
    void theBuiltJarLoadsFromAPluginsFolder() throws Exception {
        Fixtures fixtures = new Fixtures();
        try (TestGateway gateway = TestGateway.builder().yaml(Fixtures.CONSUMERS + """
                routes:
                  - id: admin
                    match: { paths: [/admin/**] }
                    url: ${BACKEND}
                    plugins:
                      - name: key-auth
                        config: { anonymous: guest }
                      - name: basic-auth
                      - name: acl
                        config: { allow: [admin] }
                """).env("BACKEND", "http://127.0.0.1:" + fixtures.backend.port())
                .env("ALICE_KEY", Fixtures.sha256(Fixtures.ALICE_KEY)).env("BOB_KEY", Fixtures.sha256(Fixtures.BOB_KEY))
                .env("MALLORY_KEY", Fixtures.sha256(Fixtures.MALLORY_KEY))
                .env("ALICE_PASSWORD", Fixtures.bcrypt("alice's password"))
                .env("BOB_PASSWORD", Fixtures.pbkdf2("bob's password", 1000))
                .pluginsFolder(PluginJars.folderWith(PluginJars.built())).start()) {
            assertEquals(200, fixtures.send(get(gateway.uri("/admin/a"), "X-Api-Key", Fixtures.ALICE_KEY)).statusCode());
            assertEquals(200, fixtures.send(get(gateway.uri("/admin/a"), "Authorization",
                    basic("alice", "alice's password"))).statusCode());
            assertEquals(403, fixtures.send(get(gateway.uri("/admin/a"), "Authorization",
                    basic("bob", "bob's password"))).statusCode());
            assertEquals(401, fixtures.send(get(gateway.uri("/admin/a"))).statusCode());
        } finally {
            fixtures.stop();
        }
    }
}
