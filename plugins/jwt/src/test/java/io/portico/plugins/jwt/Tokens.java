package io.portico.plugins.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** An identity provider's keys, made fresh per test run, and the tokens they sign. */
final class Tokens {
    static final String ISSUER = "https://idp.example";
    static final String AUDIENCE = "orders";

    final RSAKey rsa = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    final RSAKey rotated = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-2").generate());
    final ECKey ec = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    final KeyPair ed25519 = generate(() -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    final OctetKeyPair ed25519Public = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(
            raw(ed25519.getPublic().getEncoded()))).keyID("ed-1").build();
    private final Clock clock;

    Tokens(Clock clock) {
        this.clock = clock;
    }

    interface Maker<T> {
        T make() throws Exception;
    }

    private static <T> T generate(Maker<T> maker) {
        try {
            return maker.make();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] raw(byte[] x509) {
        return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    }

    /** The JWKS the provider publishes: public keys only. */
    String jwks(JWK... keys) {
        return new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString();
    }

    /** Claims of a good token for user-1: issuer, audience, an hour to live, roles and an email. */
    JWTClaimsSet.Builder claims() {
        Date now = Date.from(clock.instant());
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("user-1").audience(AUDIENCE)
                .issueTime(now).expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
                .claim("roles", List.of("readers")).claim("email", "user-1@example.com")
                .claim("scope", "orders:read orders:write");
    }

    String rs256(UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), change.apply(claims()).build(),
                generate(() -> new RSASSASigner(rsa)));
    }

    String rs256() {
        return rs256(claims -> claims);
    }

    String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return jwt.serialize();
    }

    String ps256() {
        return sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").type(JOSEObjectType.JWT).build(),
                claims().build(), generate(() -> new RSASSASigner(rsa)));
    }

    String es256() {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build(),
                generate(() -> new ECDSASigner(ec)));
    }

    String hs256(String secret, String issuer) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims().issuer(issuer).build(),
                generate(() -> new MACSigner(secret.getBytes(StandardCharsets.UTF_8))));
    }

    /** EdDSA signed with the JDK (nimbus' own Ed25519 signer needs Tink). */
    String eddsa() {
        String header = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}").toString();
        String payload = Base64URL.encode(claims().build().toString()).toString();
        byte[] signature = generate(() -> {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(ed25519.getPrivate());
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        });
        return header + "." + payload + "." + Base64URL.encode(signature);
    }

    /** A token with {"alg":"none"} and no signature. */
    String unsigned() {
        return Base64URL.encode("{\"alg\":\"none\"}") + "." + Base64URL.encode(claims().build().toString()) + ".";
    }

    /** The classic confusion: HS256 with the RSA public key's encoding as the HMAC secret. */
    String hs256WithThePublicKey() {
        byte[] publicKey = generate(() -> rsa.toRSAPublicKey().getEncoded());
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build(),
                generate(() -> new MACSigner(Arrays.copyOf(publicKey, Math.max(publicKey.length, 32)))));
    }
}
