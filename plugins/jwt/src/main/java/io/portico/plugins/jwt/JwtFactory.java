package io.portico.plugins.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.portico.api.Authentication;
import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * {@code jwt}: identifies the consumer by a signed JSON Web Token, checked against keys of issuers
 * the route trusts (JWKS URL, PEM public key, or a shared secret), with an allow-list of
 * algorithms per issuer. Headers of the token that point at other keys ({@code jku},
 * {@code x5u}, {@code jwk}, {@code x5c}) are never followed.
 */
@Extension
public final class JwtFactory implements FilterFactory<JwtFactory.Config> {
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    /**
     * @param issuers                the issuers whose tokens are accepted; at least one
     * @param header                 the header holding the token (default {@code Authorization}, as {@code Bearer})
     * @param cookie                 read the token from this cookie instead of a header
     * @param clockSkew              tolerance for {@code exp}, {@code nbf}, {@code iat} (default 30s)
     * @param requireExpiry          refuse tokens without {@code exp} (default true)
     * @param requiredClaims         claims every token must carry
     * @param consumerClaim          the claim naming the consumer (default {@code sub})
     * @param groupsClaim            a claim with the consumer's groups (an array or a space-separated string)
     * @param claimsToHeaders        claim to upstream header; client-sent headers of these names are removed
     * @param maxTokenSize           longer tokens are refused unread (default 8KB)
     * @param jwksRefresh            how old loaded JWKS keys may get before they are loaded again (default 5m)
     * @param jwksMinRefetchInterval the least time between loads for unknown key ids (default 30s)
     * @param jwksTimeout            the time allowed to load a JWKS (default 5s)
     * @param keepCredential         forward the token upstream (default: its header is removed)
     * @param consumerHeaders        send {@code X-Consumer-Id}/{@code X-Consumer-Groups} upstream (default true)
     * @param anonymous              the consumer a request without a token goes on as; none: 401
     * @param verifiedCacheSize      tokens remembered after their signature verified (default 10000; 0: none)
     */
    public record Config(List<Issuer> issuers, String header, String cookie, Duration clockSkew, Boolean requireExpiry,
                         List<String> requiredClaims, String consumerClaim, String groupsClaim,
                         Map<String, String> claimsToHeaders, DataSize maxTokenSize, Duration jwksRefresh,
                         Duration jwksMinRefetchInterval, Duration jwksTimeout, boolean keepCredential,
                         Boolean consumerHeaders, String anonymous, Integer verifiedCacheSize) {
        public Config {
            InvalidConfigException.require(issuers != null && !issuers.isEmpty(), "issuers", "name at least one issuer");
            InvalidConfigException.require(issuers.stream().map(Issuer::issuer).distinct().count() == issuers.size(),
                    "issuers", "name each issuer once");
            InvalidConfigException.require(header == null || cookie == null, "cookie", "cannot be combined with header");
            header = header == null ? "Authorization" : header;
            clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
            requireExpiry = requireExpiry == null || requireExpiry;
            requiredClaims = requiredClaims == null ? List.of() : requiredClaims;
            consumerClaim = consumerClaim == null ? "sub" : consumerClaim;
            claimsToHeaders = claimsToHeaders == null ? Map.of() : claimsToHeaders;
            maxTokenSize = maxTokenSize == null ? DataSize.ofKilobytes(8) : maxTokenSize;
            jwksRefresh = jwksRefresh == null ? Duration.ofMinutes(5) : jwksRefresh;
            jwksMinRefetchInterval = jwksMinRefetchInterval == null ? Duration.ofSeconds(30) : jwksMinRefetchInterval;
            jwksTimeout = jwksTimeout == null ? Duration.ofSeconds(5) : jwksTimeout;
            verifiedCacheSize = verifiedCacheSize == null ? 10_000 : verifiedCacheSize;
            InvalidConfigException.require(verifiedCacheSize >= 0, "verified-cache-size", "must be 0 or more");
        }
    }

    /**
     * @param issuer     the {@code iss} value, exactly
     * @param algorithms the algorithms accepted from this issuer, such as {@code [RS256]}; never {@code none}
     * @param jwksUrl    where the issuer publishes its keys
     * @param publicKey  or: one PEM public key (RSA, EC, Ed25519)
     * @param secret     or: the shared secret of HS256/384/512, at least 32 bytes
     * @param audiences  {@code aud} values accepted, any one suffices; none: {@code aud} is not checked
     */
    public record Issuer(String issuer, List<String> algorithms, String jwksUrl, String publicKey, String secret,
                         List<String> audiences) {
        public Issuer {
            InvalidConfigException.require(issuer != null && !issuer.isBlank(), "issuer", "must be set (the iss value)");
            InvalidConfigException.require(algorithms != null && !algorithms.isEmpty(), "algorithms",
                    "list the accepted algorithms, such as [RS256]");
            for (String algorithm : algorithms) {
                InvalidConfigException.require(!algorithm.equalsIgnoreCase("none") && parse(algorithm) != null,
                        "algorithms", "'" + algorithm + "' is not a signature algorithm; use RS256, RS384, RS512, PS256,"
                                + " PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384 or HS512");
            }
            int sources = (jwksUrl == null ? 0 : 1) + (publicKey == null ? 0 : 1) + (secret == null ? 0 : 1);
            InvalidConfigException.require(sources == 1, "jwks-url", "give exactly one of jwks-url, public-key and secret");
            boolean hmac = algorithms.stream().map(Issuer::parse).anyMatch(HMAC::contains);
            boolean asymmetric = algorithms.stream().map(Issuer::parse).anyMatch(algorithm -> !HMAC.contains(algorithm));
            InvalidConfigException.require(!hmac || secret != null, "algorithms",
                    "HS algorithms need a secret; with public keys they would let anyone sign with the public key");
            InvalidConfigException.require(!asymmetric || secret == null, "algorithms",
                    "a secret only checks HS256, HS384 and HS512");
            InvalidConfigException.require(secret == null || secret.getBytes(StandardCharsets.UTF_8).length >= 32,
                    "secret", "must be at least 32 bytes (256 bits)");
            InvalidConfigException.require(jwksUrl == null || jwksUrl.matches("https?://[^/]+(/.*)?"), "jwks-url",
                    "must be an http:// or https:// URL");
            audiences = audiences == null ? List.of() : audiences;
        }

        private static JWSAlgorithm parse(String name) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
            return JWSAlgorithm.Family.SIGNATURE.contains(algorithm) || HMAC.contains(algorithm)
                    || JWSAlgorithm.EdDSA.equals(algorithm) ? algorithm : null;
        }
    }

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATION;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        Map<String, TrustedIssuer> issuers = new HashMap<>();
        for (Issuer issuer : config.issuers()) {
            Set<JWSAlgorithm> algorithms = issuer.algorithms().stream().map(Issuer::parse)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            issuers.put(issuer.issuer(), new TrustedIssuer(issuer.issuer(), Set.copyOf(algorithms),
                    keys(issuer, config, context), Set.copyOf(issuer.audiences())));
        }
        return new JwtFilter(config, Map.copyOf(issuers), new TokenSource(config.header(), config.cookie()),
                new ClaimRules(context.clock(), config.clockSkew().toMillis(), config.requireExpiry(),
                        config.requiredClaims()),
                Authentication.of(config.anonymous(), config.consumerHeaders(), context.consumers()),
                context.consumers());
    }

    private static KeySource keys(Issuer issuer, Config config, PluginContext context) {
        try {
            if (issuer.jwksUrl() != null) {
                return new JwksKeys(URI.create(issuer.jwksUrl()), context.http(), context.clock(), context.logger(),
                        config.jwksRefresh(), config.jwksMinRefetchInterval(), config.jwksTimeout());
            }
            if (issuer.publicKey() != null) {
                return KeySource.fixed(new KeySet(List.of(VerificationKey.of(PemKeys.parse(issuer.publicKey())))));
            }
            return KeySource.fixed(new KeySet(List.of(VerificationKey.of(
                    new OctetSequenceKey.Builder(issuer.secret().getBytes(StandardCharsets.UTF_8)).build()))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("issuer '" + issuer.issuer() + "': public-key " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("issuer '" + issuer.issuer() + "': the key cannot be used: " + e.getMessage(), e);
        }
    }
}
