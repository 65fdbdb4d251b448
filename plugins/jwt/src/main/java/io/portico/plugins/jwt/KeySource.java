package io.portico.plugins.jwt;

import java.util.concurrent.CompletableFuture;

/** Where an issuer's keys come from: fixed in the configuration, or fetched from a JWKS URL. */
interface KeySource {

    /** The keys as last loaded; never blocks. */
    KeySet current();

    /**
     * The keys after a fresh load, for a token naming a key id that {@link #current()} lacks. A
     * source may answer with what it has when it loaded too recently: an attacker sending made-up
     * key ids must not turn the gateway into a load generator against the key server.
     */
    CompletableFuture<KeySet> reloadFor(String kid);

    /** Whether no key could be loaded at all yet (the key server was never reached). */
    default boolean unavailable() {
        return false;
    }

    /** A source that never changes. */
    static KeySource fixed(KeySet keys) {
        return new KeySource() {
            @Override
            public KeySet current() {
                return keys;
            }

            @Override
            public CompletableFuture<KeySet> reloadFor(String kid) {
                return CompletableFuture.completedFuture(keys);
            }
        };
    }
}
