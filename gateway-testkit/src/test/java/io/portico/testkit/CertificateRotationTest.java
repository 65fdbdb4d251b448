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
import java.nio.file.StandardCopyOption;
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
        Files.copy(home.resolve("first.pem"), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(home.resolve("first.key"), key, StandardCopyOption.REPLACE_EXISTING);
        Path file = home.resolve("conf").resolve("portico.yaml");
        Files.writeString(file, """
                server:
                  tls: { certificate: conf/tls/cert.pem, key: conf/tls/key.pem }
                routes: [{ id: all, url: "%s" }]
                """.formatted(Backends.url(backend)));
        try (TestGateway gateway = TestGateway.builder().home(home).yaml(Files.readString(file)).start();
             AutoCloseable watching = gateway.watch(file)) {
            URI uri = URI.create("https://localhost:" + gateway.tlsPort() + "/");
            HttpClient before = client();
            assertEquals("CN=first", presented(before, uri));

            // half a renewal: the new certificate beside the old key
            Files.copy(home.resolve("second.pem"), certificate, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(500); // ten polls of the watcher
            assertEquals("CN=first", presented(client(), uri), "a certificate without its key is not taken");

            Files.copy(home.resolve("second.key"), key, StandardCopyOption.REPLACE_EXISTING);
            String seen = null;
            for (int i = 0; i < 100 && !"CN=second".equals(seen); i++) {
                Thread.sleep(50);
                seen = presented(client(), uri);
            }
            assertEquals("CN=second", seen, "a new connection gets the renewed certificate");
            // the connection made before the renewal is kept, and still answers with its own
            assertEquals("CN=first", presented(before, uri));
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
        assertEquals("server.tls.certificate", problem.path());
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("first.key is not the key of the first certificate in "), problem.message());
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
