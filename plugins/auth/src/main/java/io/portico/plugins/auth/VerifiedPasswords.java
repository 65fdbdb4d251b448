package io.portico.plugins.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portico.api.Consumer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers user name and password pairs that verified, for a while, so that a client sending
 * the same credentials on every request pays the slow hash once. Entries are keyed by an HMAC
 * under a random key made when the filter is created: what sits in memory is useless to someone
 * who dumps it, and wrong passwords are never remembered.
 */
final class VerifiedPasswords {
    private final Cache<ByteBuffer, Consumer> verified;
    private final Mac prototype;

    VerifiedPasswords(Duration ttl, long maximum, Clock clock) {
        this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximum)
                .ticker(() -> clock.millis() * 1_000_000L).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    ByteBuffer key(String username, String password) {
        try {
            Mac mac = (Mac) prototype.clone();
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return ByteBuffer.wrap(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }

    Consumer get(ByteBuffer key) {
        return verified.getIfPresent(key);
    }

    void remember(ByteBuffer key, Consumer consumer) {
        verified.put(key, consumer);
    }
}
