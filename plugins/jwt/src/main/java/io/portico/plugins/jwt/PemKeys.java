package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo), as an
 * identity provider publishes it: RSA, EC (P-256, P-384, P-521) or Ed25519. Read with the JDK
 * alone (nimbus' own PEM reader needs BouncyCastle).
 */
final class PemKeys {
    private PemKeys() {
    }

    /** @throws IllegalArgumentException when the text is not one public key of a known type */
    static JWK parse(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----") || base64.isEmpty()) {
            throw new IllegalArgumentException("is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid Base64 inside the PEM markers");
        }
        for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(encoded));
            } catch (Exception notThisType) {
                continue;
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
            // Ed25519: the raw key is the last 32 bytes of its X.509 encoding
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).build();
        }
        throw new IllegalArgumentException("holds a key that is not RSA, EC or Ed25519");
    }
}
