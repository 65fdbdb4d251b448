package io.portico.core.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The hashed forms the {@code consumers:} section stores, as the authentication plugins read them:
 * {@code sha256:HEX} for API keys (a key is long and random, so one fast hash is enough and lets
 * the gateway find the key's owner in one lookup), bcrypt ({@code $2b$...}) or
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} for passwords.
 */
final class SecretHashes {
    static final int PBKDF2_ITERATIONS = 600_000;

    private final SecureRandom random;

    SecretHashes(SecureRandom random) {
        this.random = random;
    }

    static String apiKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** @throws IllegalArgumentException for a password over bcrypt's 72 bytes, which it would silently cut */
    String bcrypt(String password, int cost) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2B, random,
                LongPasswordStrategies.strict(BCrypt.Version.VERSION_2B)).hash(cost,
                password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    String pbkdf2(String password, int iterations) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
            return "pbkdf2-sha256$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has PBKDF2WithHmacSHA256", e);
        }
    }

    /** A new API key: 32 random bytes, URL-safe Base64, prefixed so that a leaked key is recognisable. */
    String newApiKey() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
