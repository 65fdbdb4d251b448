package io.portico.plugins.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.portico.api.Authentication;
import io.portico.api.Consumer;
import io.portico.api.ConsumerDefinition;
import io.portico.api.Exchange;
import io.portico.api.Headers;
import io.portico.api.NonBlockingFilter;
import io.portico.api.ProblemException;
import io.portico.api.Request;
import io.portico.api.Response;
import java.text.ParseException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a bearer token without blocking: with the issuer's keys in hand, parsing and verifying
 * are computation on the calling thread. A token whose signature verified is remembered (bounded,
 * for five minutes at most), so the same token on the next request costs a lookup and the claim
 * checks, not another RSA or ECDSA verification. Only a token naming a key id not seen yet waits, for the
 * issuer's JWKS to load (at most once per minimum interval), and then continues on the thread that
 * received the keys.
 */
final class JwtFilter implements NonBlockingFilter {
    private final Map<String, TrustedIssuer> issuers;
    private final TokenSource source;
    private final ClaimRules rules;
    private final Authentication authentication;
    private final Map<String, ConsumerDefinition> consumers;
    private final long maxTokenLength;
    private final boolean keepCredential;
    private final String consumerClaim;
    private final String groupsClaim;
    private final Map<String, String> claimsToHeaders;
    private final Cache<String, Verified> verifiedTokens;
    private final boolean cacheVerified;

    /**
     * A token whose signature verified: what a later request with the same token needs, worked out
     * once: its consumer, its claims as the checks read them, and the values of claims-to-headers.
     */
    private record Verified(Consumer consumer, ClaimRules.Checked checked, List<Map.Entry<String, String>> headers) {
    }

    JwtFilter(JwtFactory.Config config, Map<String, TrustedIssuer> issuers, TokenSource source, ClaimRules rules,
              Authentication authentication, List<ConsumerDefinition> consumers) {
        this.issuers = issuers;
        this.source = source;
        this.rules = rules;
        this.authentication = authentication;
        this.consumers = consumers.stream().collect(Collectors.toUnmodifiableMap(ConsumerDefinition::id,
                Function.identity()));
        this.maxTokenLength = config.maxTokenSize().bytes();
        this.keepCredential = config.keepCredential();
        this.consumerClaim = config.consumerClaim();
        this.groupsClaim = config.groupsClaim();
        this.claimsToHeaders = Map.copyOf(config.claimsToHeaders());
        // a client sends the same token until it expires: one signature check per token, not per request
        this.verifiedTokens = Caffeine.newBuilder().maximumSize(Math.max(1, config.verifiedCacheSize()))
                .expireAfterWrite(Duration.ofMinutes(5)).build();
        this.cacheVerified = config.verifiedCacheSize() > 0;
    }

    @Override
    public CompletionStage<Response> filterAsync(Exchange exchange, NonBlockingChain chain) {
        if (Authentication.settled(exchange)) {
            return chain.proceed(exchange);
        }
        String token = source.find(exchange.request());
        if (token == null) {
            Exchange anonymous = authentication.withoutCredential(exchange);
            if (anonymous == null) {
                throw new ProblemException(401, "CREDENTIAL_MISSING", "Unauthorized", "no bearer token")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"portico\"");
            }
            return chain.proceed(anonymous);
        }
        if (token.isEmpty()) {
            throw invalid("the bearer token is empty");
        }
        if (token.length() > maxTokenLength) {
            throw invalid("the token is longer than " + maxTokenLength + " bytes");
        }
        Verified known = cacheVerified ? verifiedTokens.getIfPresent(token) : null;
        if (known != null) {
            // the signature was checked; time passes, so the claims are checked again
            return chain.proceed(admitted(exchange, known));
        }
        SignedJWT jwt = parse(token);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("the token's claims are not a JSON object");
        }
        TrustedIssuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
        if (issuer == null) {
            throw invalid("the token's issuer is not trusted here");
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!issuer.algorithms().contains(algorithm)) {
            throw invalid("the algorithm " + algorithm + " is not accepted from this issuer");
        }
        String kid = header.getKeyID();
        KeySet keys = issuer.keys().current();
        if (keys.candidates(kid, algorithm).isEmpty() && (issuer.keys().unavailable() || (kid != null && !keys.knows(kid)))) {
            return issuer.keys().reloadFor(kid).thenCompose(reloaded -> {
                if (issuer.keys().unavailable()) {
                    throw new ProblemException(503, "KEYS_UNAVAILABLE", "Service Unavailable",
                            "the keys of the token's issuer cannot be loaded right now");
                }
                return chain.proceed(verified(exchange, token, jwt, claims, issuer, reloaded));
            });
        }
        return chain.proceed(verified(exchange, token, jwt, claims, issuer, keys));
    }

    /** The exchange carrying the token's consumer; throws the 401 when the token does not verify. */
    private Exchange verified(Exchange exchange, String token, SignedJWT jwt, JWTClaimsSet claims, TrustedIssuer issuer,
                              KeySet keys) {
        boolean verified = false;
        for (VerificationKey key : keys.candidates(jwt.getHeader().getKeyID(), jwt.getHeader().getAlgorithm())) {
            if (key.verify(jwt)) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            throw invalid("the token's signature does not verify");
        }
        Object id = claims.getClaim(consumerClaim);
        if (!(id instanceof String consumerId) || consumerId.isEmpty()) {
            throw invalid("the token has no " + consumerClaim + " to name the consumer");
        }
        Consumer consumer = consumer(consumerId, claims);
        List<Map.Entry<String, String>> headers = new ArrayList<>(claimsToHeaders.size());
        claimsToHeaders.forEach((claim, name) -> headers.add(new AbstractMap.SimpleImmutableEntry<>(name,
                text(claims.getClaim(claim)))));
        Verified known = new Verified(consumer, rules.check(claims, issuer.audiences()), List.copyOf(headers));
        if (cacheVerified) {
            verifiedTokens.put(token, known);
        }
        return admitted(exchange, known);
    }

    /** Checks the times of a token whose signature verified, and passes its consumer on. */
    private Exchange admitted(Exchange exchange, Verified known) {
        String problem = rules.problem(known.checked());
        if (problem != null) {
            throw invalid(problem);
        }
        Request request = exchange.request();
        Request forwarded = keepCredential ? request : source.strip(request);
        if (!known.headers().isEmpty()) {
            Headers.Builder headers = forwarded.headers().toBuilder();
            for (Map.Entry<String, String> header : known.headers()) {
                headers.remove(header.getKey());
                if (header.getValue() != null) {
                    headers.set(header.getKey(), header.getValue());
                }
            }
            forwarded = forwarded.withHeaders(headers.build());
        }
        return authentication.authenticated(exchange, forwarded, known.consumer());
    }

    private Consumer consumer(String id, JWTClaimsSet claims) {
        Set<String> groups = new HashSet<>();
        ConsumerDefinition declared = consumers.get(id);
        if (declared != null) {
            groups.addAll(declared.groups());
        }
        if (groupsClaim != null) {
            Object value = claims.getClaim(groupsClaim);
            if (value instanceof Collection<?> list) {
                list.forEach(group -> groups.add(String.valueOf(group)));
            } else if (value instanceof String text && !text.isBlank()) {
                groups.addAll(List.of(text.trim().split("\\s+")));
            }
        }
        Map<String, String> values = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            String text = text(value);
            if (text != null) {
                values.put(name, text);
            }
        });
        String scope = text(claims.getClaim("scope") != null ? claims.getClaim("scope") : claims.getClaim("scp"));
        if (scope != null) {
            values.put(Consumer.SCOPE, scope);
        }
        return new Consumer(id, groups, values);
    }

    /** A claim as header or consumer text: strings, numbers and booleans as they are, arrays space-separated. */
    private static String text(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof java.util.Date date) {
            return Long.toString(date.getTime() / 1000);
        }
        if (value instanceof Collection<?> list && list.stream().allMatch(item -> item instanceof String)) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
        }
        return null;
    }

    private static SignedJWT parse(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw invalid("the token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            // alg "none" parses as a PlainJWT, an encrypted token as an EncryptedJWT: neither is signed
            throw invalid("the token is not signed");
        }
        return signed;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(401, "CREDENTIAL_INVALID", "Unauthorized", detail)
                .withHeader("WWW-Authenticate", "Bearer realm=\"portico\", error=\"invalid_token\"");
    }
}
