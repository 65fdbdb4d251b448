package io.portico.plugins.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Set;

/**
 * One key a token may be signed with, ready to verify: the verifier is made once when the key is
 * loaded, not per request. A key only ever verifies the algorithms of its own type (an RSA key
 * never checks an HMAC), whatever a token's header claims.
 */
final class VerificationKey {
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private interface Check {
        boolean verify(SignedJWT token) throws JOSEException, GeneralSecurityException;
    }

    private final String kid;
    private final Set<JWSAlgorithm> algorithms;
    private final Check check;

    private VerificationKey(String kid, Set<JWSAlgorithm> algorithms, Check check) {
        this.kid = kid;
        this.algorithms = algorithms;
        this.check = check;
    }

    /** The key for verification, or {@code null} for a key that cannot verify signatures (encryption only, private parts only, unknown type). */
    static VerificationKey of(JWK jwk) throws JOSEException, GeneralSecurityException {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        Set<JWSAlgorithm> algorithms;
        Check check;
        if (jwk instanceof RSAKey rsa) {
            algorithms = RSA;
            JWSVerifier verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            check = token -> token.verify(verifier);
        } else if (jwk instanceof ECKey ec) {
            algorithms = Set.of(ecAlgorithm(ec.getCurve()));
            JWSVerifier verifier = new ECDSAVerifier(ec.toECPublicKey());
            check = token -> token.verify(verifier);
        } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            algorithms = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
            PublicKey publicKey = ed25519(okp.getDecodedX());
            check = token -> {
                // the JDK's Ed25519, so that nimbus' optional Tink dependency is not needed
                Signature signature = Signature.getInstance("Ed25519");
                signature.initVerify(publicKey);
                signature.update(token.getSigningInput());
                return signature.verify(token.getSignature().decode());
            };
        } else if (jwk instanceof OctetSequenceKey secret) {
            algorithms = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
            JWSVerifier verifier = new MACVerifier(secret.toByteArray());
            check = token -> token.verify(verifier);
        } else {
            return null;
        }
        if (jwk.getAlgorithm() != null) {
            JWSAlgorithm declared = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            algorithms = algorithms.contains(declared) ? Set.of(declared) : Set.of();
        }
        return new VerificationKey(jwk.getKeyID(), algorithms, check);
    }

    private static JWSAlgorithm ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) {
            return JWSAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        if (Curve.P_521.equals(curve)) {
            return JWSAlgorithm.ES512;
        }
        return JWSAlgorithm.ES256K;
    }

    static PublicKey ed25519(byte[] raw) throws GeneralSecurityException {
        byte[] encoded = new byte[ED25519_X509_PREFIX.length + raw.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(raw, 0, encoded, ED25519_X509_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }

    String kid() {
        return kid;
    }

    /**
     * Whether this key may check a token with this algorithm and key id ({@code null}: the token
     * names none). A key without an id (a PEM key, a secret) is a candidate for any id.
     */
    boolean matches(String tokenKid, JWSAlgorithm algorithm) {
        return algorithms.contains(algorithm) && (tokenKid == null || kid == null || tokenKid.equals(kid));
    }

    boolean verify(SignedJWT token) {
        try {
            return check.verify(token);
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
