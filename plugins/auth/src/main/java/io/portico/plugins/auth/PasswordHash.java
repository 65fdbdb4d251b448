package io.portico.plugins.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A stored password hash, as {@code bin/portico hash-secret} writes it: bcrypt ({@code $2a$},
 * {@code $2b$}, {@code $2y$}) or {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (Base64). Both are
 * deliberately slow; both compare in constant time.
 */
sealed interface PasswordHash {

    boolean matches(String password);

    /** @throws IllegalArgumentException when the text is neither form */
    static PasswordHash parse(String stored) {
        if (stored == null) {
            throw new IllegalArgumentException("has no password");
        }
        if (stored.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            return new Bcrypt(stored.getBytes(StandardCharsets.US_ASCII));
        }
        String[] parts = stored.split("\\$");
        if (parts.length == 4 && parts[0].equals("pbkdf2-sha256") && parts[1].matches("\\d{1,9}")) {
            try {
                Base64.Decoder base64 = Base64.getDecoder();
                return new Pbkdf2(Integer.parseInt(parts[1]), base64.decode(parts[2]), base64.decode(parts[3]));
            } catch (IllegalArgumentException notBase64) {
                // reported below, with the others
            }
        }
        throw new IllegalArgumentException("has a password that is not a bcrypt or pbkdf2-sha256 hash"
                + " (make one with bin/portico hash-secret)");
    }

    record Bcrypt(byte[] hash) implements PasswordHash {
        @Override
        public boolean matches(String password) {
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            // bcrypt reads 72 bytes at most; a longer password must not match on its first 72 alone
            return bytes.length <= 72 && BCrypt.verifyer().verify(bytes, hash).verified;
        }
    }

    record Pbkdf2(int iterations, byte[] salt, byte[] hash) implements PasswordHash {
        @Override
        public boolean matches(String password) {
            try {
                byte[] computed = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, hash.length * 8))
                        .getEncoded();
                return MessageDigest.isEqual(computed, hash);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java has PBKDF2WithHmacSHA256", e);
            }
        }
    }
}
