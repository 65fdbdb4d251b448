package io.portico.core.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** Turns a PEM certificate chain and a PKCS#8 PEM private key into an in-memory key store. */
final class PemKeyStore {
    static final String ALIAS = "portico";

    private PemKeyStore() {
    }

    static KeyStore load(Path certificateFile, Path keyFile, char[] password) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain;
        try (var in = Files.newInputStream(certificateFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateFile + " holds no certificate");
        }
        PrivateKey key = privateKey(keyFile);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new GeneralSecurityException(keyFile + " is a PKCS#1/SEC1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        if (pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw new GeneralSecurityException(keyFile + " is encrypted; give an unencrypted PKCS#8 key or a PKCS12 keystore");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new GeneralSecurityException(keyFile + " holds no 'BEGIN PRIVATE KEY' block");
        }
        String base64 = pem.substring(begin + 27, end).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(keyFile + " holds a key of an unsupported type", last);
    }
}
