package io.portico.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * Turns PEM files into in-memory key stores: a certificate chain with its PKCS#8 private key (what
 * a TLS end presents), or certificates to trust.
 */
public final class PemKeyStore {
    static final String ALIAS = "portico";

    private PemKeyStore() {
    }

    /**
     * The chain and its key under one alias, the key protected by {@code password}; the names are
     * the files the bytes were read from, for messages.
     *
     * @throws KeyFileException when the key is unreadable, of a kind we cannot use, or not the
     *                          first certificate's
     */
    public static KeyStore load(byte[] certificatePem, String certificateName, byte[] keyPem, String keyName,
                                char[] password) throws GeneralSecurityException {
        Collection<? extends Certificate> chain = certificates(certificatePem, certificateName);
        PrivateKey key = privateKey(keyPem, keyName);
        if (!belongTogether(key, chain.iterator().next())) {
            // a renewal caught half-way (new certificate, old key) would otherwise fail every handshake
            throw new KeyFileException(keyName + " is not the key of the first certificate in " + certificateName);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store always loads", e);
        }
        store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    /** Every certificate in the PEM bytes, each a trusted entry. */
    public static KeyStore trust(byte[] certificatesPem, String name) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store always loads", e);
        }
        int index = 0;
        for (Certificate certificate : certificates(certificatesPem, name)) {
            store.setCertificateEntry("trusted-" + index++, certificate);
        }
        return store;
    }

    private static Collection<? extends Certificate> certificates(byte[] pem, String name) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new CertificateException(name + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(name + " holds no certificate");
        }
        return certificates;
    }

    /** Whether the certificate's public key verifies what the private key signs. */
    private static boolean belongTogether(PrivateKey key, Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a type we cannot check is left to the handshake
        }
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        byte[] probe = "portico".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static PrivateKey privateKey(byte[] keyPem, String keyName) throws KeyFileException {
        String pem = new String(keyPem, StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new KeyFileException(keyName + " is a PKCS#1/SEC1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        if (pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw new KeyFileException(keyName + " is encrypted; give an unencrypted PKCS#8 key or a PKCS12 keystore");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new KeyFileException(keyName + " holds no 'BEGIN PRIVATE KEY' block");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(pem.substring(begin + 27, end).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(keyName + " holds a damaged key: " + e.getMessage());
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // the next kind
            }
        }
        throw new KeyFileException(keyName + " holds a key of an unsupported type");
    }

    /** The key file is at fault, rather than the certificate: configuration problems name its setting. */
    public static final class KeyFileException extends GeneralSecurityException {
        KeyFileException(String message) {
            super(message);
        }
    }
}
