package io.portico.plugins.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Consumers with real hashed secrets, an upstream that records what reached it, and a client. */
final class Fixtures {
    static final String ALICE_KEY = "pk_alice-0123456789abcdefghijklmnopqrstuv";
    static final String BOB_KEY = "pk_bob-0123456789abcdefghijklmnopqrstuvwxy";
    static final String MALLORY_KEY = "pk_mallory-0123456789abcdefghijklmnopqrst";

    /** alice: admin and staff, a key and a bcrypt password; bob: staff, a key and a PBKDF2 password. */
    static final String CONSUMERS = """
            consumers:
              - id: alice
                groups: [admin, staff]
                credentials:
                  key-auth: [{ key: "${ALICE_KEY}" }]
                  basic-auth: [{ username: alice, password: "${ALICE_PASSWORD}" }]
              - id: bob
                groups: [staff]
                credentials:
                  key-auth: [{ key: "${BOB_KEY}" }]
                  basic-auth: [{ username: bob, password: "${BOB_PASSWORD}" }]
              - id: mallory
                groups: [banned]
                credentials:
                  key-auth: [{ key: "${MALLORY_KEY}" }]
              - id: guest
                groups: [public]
            """;

    final WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Fixtures() {
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from upstream")));
    }

    /** A gateway on these consumers and the upstream; {@code routes} is the YAML from {@code routes:} on. */
    TestGateway.Builder gateway(String routes) {
        return TestGateway.builder().yaml(CONSUMERS + routes)
                .env("BACKEND", "http://127.0.0.1:" + backend.port())
                .env("ALICE_KEY", sha256(ALICE_KEY)).env("BOB_KEY", sha256(BOB_KEY))
                .env("MALLORY_KEY", sha256(MALLORY_KEY))
                .env("ALICE_PASSWORD", bcrypt("alice's password"))
                .env("BOB_PASSWORD", pbkdf2("bob's password", 1000))
                .filters(new KeyAuthFactory(), new BasicAuthFactory(), new AclFactory());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder get(URI uri, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    void stop() {
        backend.stop();
    }

    static String sha256(String key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Cost 4: the slowness is not under test, the format and the comparison are. */
    static String bcrypt(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(4, password.toCharArray());
    }

    static String pbkdf2(String password, int iterations) {
        try {
            byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            return "pbkdf2-sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                    + Base64.getEncoder().encodeToString(hash);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
