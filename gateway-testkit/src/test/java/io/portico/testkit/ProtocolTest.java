package io.portico.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 in clear text, TLS termination from PKCS12 and from PEM files, HTTP/2 over ALPN. */
class ProtocolTest {
    @TempDir
    static Path folder;
    static WireMockServer backend;
    static Path keystore;
    static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        backend = Backends.start();
        keystore = folder.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "portico", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                new String(keytool.getInputStream().readAllBytes()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "secret".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("portico");
        Files.writeString(folder.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(folder.resolve("key.pem"), pem("PRIVATE KEY",
                store.getKey("portico", "secret".toCharArray()).getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("portico", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @BeforeEach
    void reset() {
        backend.resetAll();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("secure hello")));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String yaml(String tls) {
        return """
                server:
                  tls: %s
                routes:
                  - id: all
                    url: ${BACKEND}
                """.formatted(tls);
    }

    @Test
    void cleartextHttp2_isServedByUpgrade() throws Exception {
        try (TestGateway gateway = TestGateway.builder().yaml("routes: [{ id: all, url: \"${BACKEND}\" }]")
                .env("BACKEND", Backends.url(backend)).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(gateway.uri("/h2c")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            assertEquals("secure hello", answer.body());
        }
    }

    @Test
    void tlsFromPkcs12_speaksHttp2OverAlpn_andTellsTheUpstream() throws Exception {
        try (TestGateway gateway = TestGateway.builder().home(folder)
                .yaml(yaml("{ keystore: gateway.p12, password: secret }")).env("BACKEND", Backends.url(backend)).start()) {
            HttpResponse<String> answer = secureGet(gateway, HttpClient.Version.HTTP_2);
            assertEquals(200, answer.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            LoggedRequest seen = backend.findAll(getRequestedFor(urlEqualTo("/tls"))).get(0);
            assertEquals("https", seen.getHeader("X-Forwarded-Proto"));
            assertEquals("2 portico", seen.getHeader("Via"));
        }
    }

    @Test
    void tlsFromPemFiles_servesHttp11Too() throws Exception {
        try (TestGateway gateway = TestGateway.builder().home(folder)
                .yaml(yaml("{ certificate: cert.pem, key: key.pem }")).env("BACKEND", Backends.url(backend)).start()) {
            HttpResponse<String> answer = secureGet(gateway, HttpClient.Version.HTTP_1_1);
            assertEquals(200, answer.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, answer.version());
            assertEquals("secure hello", answer.body());
        }
    }

    @Test
    void tlsClientOfferingOnlyHttp11_isServedHttp11() throws Exception {
        try (TestGateway gateway = TestGateway.builder().home(folder)
                .yaml(yaml("{ certificate: cert.pem, key: key.pem }")).env("BACKEND", Backends.url(backend)).start();
             SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", gateway.tlsPort())) {
            // as curl --http1.1, Python's urllib3 and Go with HTTP/2 off do: ALPN with http/1.1 alone
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[]{"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertEquals("http/1.1", socket.getApplicationProtocol());
            socket.getOutputStream().write("GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("secure hello"), answer);
        }
    }

    @Test
    void tlsExampleOfTheConfigurationPage_servesWithItsPemFiles() throws Exception {
        String example = DocExamples.configurations(Path.of("..", "docs", "configuration.md")).stream()
                .filter(block -> block.contains("tls:")).findFirst().orElseThrow();
        Path tls = Files.createDirectories(folder.resolve("conf").resolve("tls"));
        Files.copy(folder.resolve("cert.pem"), tls.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(folder.resolve("key.pem"), tls.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        try (TestGateway gateway = TestGateway.builder().home(folder)
                .yaml(example.replace("http://127.0.0.1:9001", Backends.url(backend))).start()) {
            HttpResponse<String> answer = secureGet(gateway, HttpClient.Version.HTTP_2);
            assertEquals(200, answer.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            assertEquals("secure hello", answer.body());
            LoggedRequest seen = backend.findAll(getRequestedFor(urlEqualTo("/tls"))).get(0);
            assertEquals("https", seen.getHeader("X-Forwarded-Proto"));
        }
    }

    private static HttpResponse<String> secureGet(TestGateway gateway, HttpClient.Version version) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.tlsPort() + "/tls")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
