package io.portico.plugins.auth;

import io.portico.api.Consumer;
import io.portico.api.ConsumerDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The consumers' API keys, indexed by their SHA-256 digest. A presented key is hashed and looked
 * up: the comparison runs on digests, which an attacker cannot steer byte by byte, so the time a
 * wrong key takes says nothing about how close it was; the key itself is never compared and never
 * kept.
 */
final class ApiKeys {
    static final String KIND = "key-auth";
    private static final String PREFIX = "sha256:";

    private final Map<ByteBuffer, Consumer> byDigest;
    private final MessageDigest prototype;

    private ApiKeys(Map<ByteBuffer, Consumer> byDigest, MessageDigest prototype) {
        this.byDigest = byDigest;
        this.prototype = prototype;
    }

    /** @throws IllegalArgumentException naming the consumer (never the secret) for a bad entry */
    static ApiKeys of(List<ConsumerDefinition> consumers) {
        Map<ByteBuffer, Consumer> byDigest = new HashMap<>();
        Map<ByteBuffer, String> owners = new HashMap<>();
        for (ConsumerDefinition consumer : consumers) {
            for (Map<String, String> credential : consumer.credentials(KIND)) {
                String hashed = credential.get("key");
                if (hashed == null || !hashed.startsWith(PREFIX) || !hashed.substring(PREFIX.length())
                        .matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException("consumer '" + consumer.id() + "': a key-auth credential"
                            + " needs key: \"sha256:\" and 64 hex digits (make one with bin/portico hash-secret"
                            + " --kind api-key)");
                }
                ByteBuffer digest = ByteBuffer.wrap(HexFormat.of().parseHex(hashed.substring(PREFIX.length())));
                String owner = owners.putIfAbsent(digest, consumer.id());
                if (owner != null) {
                    throw new IllegalArgumentException("consumers '" + owner + "' and '" + consumer.id()
                            + "' have the same API key");
                }
                byDigest.put(digest, consumer.toConsumer());
            }
        }
        try {
            return new ApiKeys(Map.copyOf(byDigest), MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The consumer owning this key, or {@code null}. */
    Consumer find(String key) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 digest cannot be cloned", e);
        }
        return byDigest.get(ByteBuffer.wrap(digest.digest(key.getBytes(StandardCharsets.UTF_8))));
    }

    boolean isEmpty() {
        return byDigest.isEmpty();
    }
}
