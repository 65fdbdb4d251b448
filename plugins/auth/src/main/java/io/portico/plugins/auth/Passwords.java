package io.portico.plugins.auth;

import io.portico.api.Consumer;
import io.portico.api.ConsumerDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consumers' basic-auth users. An unknown user name costs the same slow hash as a known one,
 * so that answer times do not tell which user names exist.
 */
final class Passwords {
    static final String KIND = "basic-auth";

    private record User(PasswordHash hash, Consumer consumer) {
    }

    private final Map<String, User> users;
    private final PasswordHash decoy;

    private Passwords(Map<String, User> users, PasswordHash decoy) {
        this.users = users;
        this.decoy = decoy;
    }

    /** @throws IllegalArgumentException naming the consumer (never the secret) for a bad entry */
    static Passwords of(List<ConsumerDefinition> consumers) {
        Map<String, User> users = new HashMap<>();
        PasswordHash decoy = null;
        for (ConsumerDefinition consumer : consumers) {
            for (Map<String, String> credential : consumer.credentials(KIND)) {
                String username = credential.get("username");
                if (username == null || username.isEmpty() || username.indexOf(':') >= 0) {
                    throw new IllegalArgumentException("consumer '" + consumer.id() + "': a basic-auth credential"
                            + " needs a username without ':'");
                }
                PasswordHash hash;
                try {
                    hash = PasswordHash.parse(credential.get("password"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("consumer '" + consumer.id() + "': basic-auth user '" + username
                            + "' " + e.getMessage(), e);
                }
                User previous = users.putIfAbsent(username, new User(hash, consumer.toConsumer()));
                if (previous != null) {
                    throw new IllegalArgumentException("basic-auth user '" + username + "' belongs to both consumer '"
                            + previous.consumer().id() + "' and '" + consumer.id() + "'");
                }
                decoy = decoy == null ? hash : decoy;
            }
        }
        return new Passwords(Map.copyOf(users), decoy);
    }

    /** The consumer with this user name and password, or {@code null}. Slow by design. */
    Consumer verify(String username, String password) {
        User user = users.get(username);
        if (user == null) {
            if (decoy != null) {
                decoy.matches(password);
            }
            return null;
        }
        return user.hash().matches(password) ? user.consumer() : null;
    }
}
