package io.portico.plugins.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Set;

/**
 * One issuer whose tokens a route accepts: its {@code iss}, the algorithms allowed for it, where
 * its keys come from, and the audiences the route accepts from it.
 */
record TrustedIssuer(String issuer, Set<JWSAlgorithm> algorithms, KeySource keys, Set<String> audiences) {
}
