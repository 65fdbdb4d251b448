package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key pairs made by the JDK's keytool, as an operator would make them, for the TLS tests. */
final class TestCertificates {
    private TestCertificates() {
    }

    /**
     * A self-signed EC key pair in {@code folder}: {@code NAME.p12} (password {@code secret}, alias
     * {@code NAME}), and the same as PEM files {@code NAME.pem} (certificate) and {@code NAME.key}
     * (PKCS#8 key).
     *
     * @param extension a keytool {@code -ext} such as {@code SAN=dns:localhost,ip:127.0.0.1}, or null
     * @return the PKCS12 file
     */
    static Path keyPair(Path folder, String name, String subject, String extension) throws Exception {
        Path store = folder.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", name,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "secret", "-keypass", "secret"));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                new String(keytool.getInputStream().readAllBytes()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, "secret".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keys.getCertificate(name);
        Files.writeString(folder.resolve(name + ".pem"), ProtocolTest.pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(folder.resolve(name + ".key"), ProtocolTest.pem("PRIVATE KEY",
                keys.getKey(name, "secret".toCharArray()).getEncoded()));
        return store;
    }
}
