package io.portico.plugins.auth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.core.config.ConfigException;
import io.portico.testkit.TestGateway;
import org.junit.jupiter.api.Test;

/** Bad consumers and bad plugin settings are refused at load, named, and never echo a secret. */
class AuthConfigTest {

    private static String refusal(String consumers, String plugin) {
        ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.builder().yaml(consumers + """
                routes:
                  - id: api
                    match: { paths: [/api/**] }
                    url: http://127.0.0.1:9
                    plugins:
                      - %s
                """.formatted(plugin)).filters(new KeyAuthFactory(), new BasicAuthFactory(), new AclFactory())
                .start().close());
        return error.getMessage();
    }

    @Test
    void aKeyThatIsNotHashed_isRefused_withoutRepeatingIt() {
        String message = refusal("""
                consumers:
                  - id: alice
                    credentials:
                      key-auth: [{ key: "my-plain-secret-key" }]
                """, "name: key-auth");
        assertTrue(message.contains("routes[0].plugins[0]"), message);
        assertTrue(message.contains("consumer 'alice': a key-auth credential needs key: \"sha256:\" and 64 hex digits"),
                message);
        assertTrue(!message.contains("my-plain-secret-key"), message);
    }

    @Test
    void aPasswordThatIsNotAHash_isRefused() {
        String message = refusal("""
                consumers:
                  - id: alice
                    credentials:
                      basic-auth: [{ username: alice, password: "hunter2" }]
                """, "name: basic-auth");
        assertTrue(message.contains("basic-auth user 'alice' has a password that is not a bcrypt or pbkdf2-sha256 hash"),
                message);
        assertTrue(!message.contains("hunter2"), message);
    }

    @Test
    void twoConsumersWithOneKey_andAnUnknownAnonymousConsumer_areRefused() {
        String hash = Fixtures.sha256("shared");
        String twice = refusal("""
                consumers:
                  - id: a
                    credentials: { key-auth: [{ key: "%s" }] }
                  - id: b
                    credentials: { key-auth: [{ key: "%s" }] }
                """.formatted(hash, hash), "name: key-auth");
        assertTrue(twice.contains("consumers 'a' and 'b' have the same API key"), twice);
        String anonymous = refusal("", "{ name: key-auth, config: { anonymous: nobody } }");
        assertTrue(anonymous.contains("anonymous: no consumer 'nobody' in the consumers section"), anonymous);
        assertTrue(anonymous.contains("line 6"), anonymous);
    }

    @Test
    void aclRefusesAllowTogetherWithRules() {
        String message = refusal("", "{ name: acl, config: { allow: [x], rules: [{ methods: [GET] }] } }");
        assertTrue(message.contains("config.allow"), message);
        assertTrue(message.contains("cannot be combined with rules"), message);
    }
}
