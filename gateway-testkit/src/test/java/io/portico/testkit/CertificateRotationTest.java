package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigProblem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

/**
 * A renewed certificate for the TLS port is taken up without a restart, as certbot or a rotated
 * Kubernetes secret would replace it: new connections get it, a connection made before keeps its
 * own, and a certificate whose key does not fit is refused while the old one goes on serving.
 */
class CertificateRotationTest {
    @TempDir
    static Path home;
    static WireMockServer backend;
    static SSLContext trustingBoth;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("hello")));
        TestCertificates.keyPair(home, "first", "CN=first", "SAN=dns:localhost,ip:127.0.0.1");
        TestCertificates.keyPair(home, "second", "CN=second", "SAN=dns:localhost,ip:127.0.0.1");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String name : new String[] {"first", "second"}) {
            KeyStore pair = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(home.resolve(name + ".p12"))) {
                pair.load(in, "secret".toCharArray());
            }
            trust.setCertificateEntry(name, pair.getCertificate(name));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trustingBoth = SSLContext.getInstance("TLS");
        trustingBoth.init(null, factory.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @Test
    void replacedCertificate_servesNewConnections_andAKeyThatDoesNotFitIsRefused() throws Exception {
        Path tls = Files.createDirectories(home.resolve("conf").resolve("tls"));
        Path certificate = tls.resolve("cert.pem");
        Path key = tls.resolve("key.pem");
        TestFiles.replace(certificate, home.resolve("first.pem"));
        TestFiles.replace(key, home.resolve("first.key"));
        Path file = home.resolve("conf").resolve("portico.yaml");
        Files.writeString(file, """
                server:
                  tls: { certificate: conf/tls/cert.pem, key: conf/tls/key.pem }
                routes: [{ id: all, url: "%s" }]
                """.formatted(Backends.url(backend)));
        try (TestGateway gateway = TestGateway.builder().home(home).yaml(Files.readString(file)).start();
             TestGateway.Watching watching = gateway.watch(file)) {
            URI uri = URI.create("https://localhost:" + gateway.tlsPort() + "/");
            HttpClient before = client();
            assertEquals("CN=first", presented(before, uri));

            // half a renewal: the new certificate beside the old key
            TestFiles.replace(certificate, home.resolve("second.pem"));
            assertTrue(TestFiles.eventually(() -> watching.refused() == 1), "the watcher saw the new certificate");
            assertEquals("CN=first", presented(client(), uri), "a certificate without its key is not taken");

            TestFiles.replace(key, home.resolve("second.key"));
            assertTrue(TestFiles.eventually(() -> watching.applied() == 1), "the watcher saw the new key");
            assertEquals("CN=second", presented(client(), uri), "a new connection gets the renewed certificate");
            // the connection made before the renewal is kept, and still answers with its own
            assertEquals("CN=first", presented(before, uri));
        }
    }

    @Test
    void keyStoreWithoutAKey_isRefused_andTheTlsPortGoesOnServingTheOldOne() throws Exception {
        Path tls = Files.createDirectories(home.resolve("p12"));
        Path store = tls.resolve("portico.p12");
        TestFiles.replace(store, home.resolve("first.p12"));
        Path file = tls.resolve("portico.yaml");
        Files.writeString(file, """
                server:
                  tls: { keystore: p12/portico.p12, password: secret }
                routes: [{ id: all, url: "%s" }]
                """.formatted(Backends.url(backend)));
        try (TestGateway gateway = TestGateway.builder().home(home).yaml(Files.readString(file)).start();
             TestGateway.Watching watching = gateway.watch(file)) {
            URI uri = URI.create("https://localhost:" + gateway.tlsPort() + "/");
            assertEquals("CN=first", presented(client(), uri));

            // a store holding the certificate only: it loads, but no TLS context serves from it
            Path certificateOnly = certificateOnly(home.resolve("second.p12"), "second");
            TestFiles.replace(store, certificateOnly);
            assertTrue(TestFiles.eventually(() -> watching.refused() == 1), "the watcher saw the new store");
            assertEquals("CN=first", presented(client(), uri), "the port still serves the old certificate");

            TestFiles.replace(store, home.resolve("second.p12"));
            assertTrue(TestFiles.eventually(() -> watching.applied() == 1), "the watcher saw the whole store");
            assertEquals("CN=second", presented(client(), uri));
        }
    }

    @Test
    void keyOfAnotherCertificate_isRefusedAtStart_withItsPathAndLine() {
        ConfigException refused = assertThrows(ConfigException.class, () -> TestGateway.builder().home(home).yaml("""
                server:
                  tls:
                    certificate: second.pem
                    key: first.key
                routes: [{ id: all, url: "%s" }]
                """.formatted(Backends.url(backend))).start());
        ConfigProblem problem = refused.problems().getFirst();
        assertEquals("server.tls.key", problem.path());
        assertEquals(4, problem.line());
        assertTrue(problem.message().contains("first.key is not the key of the first certificate in second.pem"),
                problem.message());
    }

    @Test
    void keyStoreWhosePasswordDoesNotOpenItsKey_isRefusedAtStart_withItsPathAndLine() throws Exception {
        KeyStore pair = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(home.resolve("first.p12"))) {
            pair.load(in, "secret".toCharArray());
        }
        KeyStore otherPassword = KeyStore.getInstance("PKCS12");
        otherPassword.load(null, null);
        otherPassword.setKeyEntry("first", pair.getKey("first", "secret".toCharArray()), "other".toCharArray(),
                pair.getCertificateChain("first"));
        try (var out = Files.newOutputStream(home.resolve("other-password.p12"))) {
            otherPassword.store(out, "secret".toCharArray());
        }
        ConfigException refused = assertThrows(ConfigException.class, () -> TestGateway.builder().home(home).yaml("""
                server:
                  tls:
                    keystore: other-password.p12
                    password: secret
                routes: [{ id: all, url: "%s" }]
                """.formatted(Backends.url(backend))).start());
        ConfigProblem problem = refused.problems().getFirst();
        assertEquals("server.tls.keystore", problem.path());
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("the password does not open the key 'first'"), problem.message());
    }

    /** A PKCS12 file with {@code alias}'s certificate from {@code store} and no key. */
    private static Path certificateOnly(Path store, String alias) throws Exception {
        KeyStore pair = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            pair.load(in, "secret".toCharArray());
        }
        KeyStore certificateOnly = KeyStore.getInstance("PKCS12");
        certificateOnly.load(null, null);
        certificateOnly.setCertificateEntry(alias, pair.getCertificate(alias));
        Path file = home.resolve(alias + "-certificate-only.p12");
        try (var out = Files.newOutputStream(file)) {
            certificateOnly.store(out, "secret".toCharArray());
        }
        return file;
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(trustingBoth).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The subject of the certificate the gateway showed for one request, which must succeed. */
    private static String presented(HttpClient client, URI uri) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.sslSession().isPresent());
        return ((X509Certificate) answer.sslSession().get().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
