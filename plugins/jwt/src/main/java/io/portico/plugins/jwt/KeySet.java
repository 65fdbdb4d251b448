package io.portico.plugins.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.ArrayList;
import java.util.List;

/** The keys an issuer signs with, as loaded at one moment; immutable. */
record KeySet(List<VerificationKey> keys) {
    static final KeySet EMPTY = new KeySet(List.of());

    KeySet {
        keys = List.copyOf(keys);
    }

    /** The keys that may verify a token with this key id (or none named) and algorithm. */
    List<VerificationKey> candidates(String kid, JWSAlgorithm algorithm) {
        List<VerificationKey> found = new ArrayList<>(1);
        for (VerificationKey key : keys) {
            if (key.matches(kid, algorithm)) {
                found.add(key);
            }
        }
        return found;
    }

    boolean knows(String kid) {
        return keys.stream().anyMatch(key -> kid.equals(key.kid()));
    }
}
