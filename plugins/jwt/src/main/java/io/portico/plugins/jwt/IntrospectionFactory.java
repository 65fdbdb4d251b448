package io.portico.plugins.jwt;

import io.portico.api.Authentication;
import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code oauth2-introspection}: identifies the consumer by an opaque bearer token, asking the
 * identity provider about it (RFC 7662) with the gateway's client credentials, and remembering
 * active tokens until they expire or for {@code cache-ttl}, whichever is sooner.
 */
@Extension
public final class IntrospectionFactory implements FilterFactory<IntrospectionFactory.Config> {

    /**
     * @param introspectionUrl the provider's introspection endpoint
     * @param clientId         the gateway's client id at the provider
     * @param clientSecret     its secret (use {@code ${ENV}})
     * @param timeout          the time allowed for one introspection (default 2s)
     * @param cacheTtl         the longest an active token is remembered (default 5m; 0s: ask every time)
     * @param cacheSize        the most tokens remembered (default 10000)
     * @param consumerClaim    the field naming the consumer (default {@code sub}, then {@code client_id})
     * @param requiredScopes   scopes the token must all have, else 403
     * @param maxTokenSize     longer tokens are refused without asking (default 8KB)
     * @param keepCredential   forward {@code Authorization} upstream (default: removed)
     * @param consumerHeaders  send {@code X-Consumer-Id}/{@code X-Consumer-Groups} upstream (default true)
     * @param anonymous        the consumer a request without a token goes on as; none: 401
     */
    public record Config(String introspectionUrl, String clientId, String clientSecret, Duration timeout,
                         Duration cacheTtl, Integer cacheSize, String consumerClaim, List<String> requiredScopes,
                         DataSize maxTokenSize, boolean keepCredential, Boolean consumerHeaders, String anonymous) {
        public Config {
            InvalidConfigException.require(introspectionUrl != null && introspectionUrl.matches("https?://[^/]+(/.*)?"),
                    "introspection-url", "must be an http:// or https:// URL");
            InvalidConfigException.require(clientId != null && !clientId.isEmpty(), "client-id", "must be set");
            InvalidConfigException.require(clientSecret != null && !clientSecret.isEmpty(), "client-secret", "must be set");
            timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
            cacheTtl = cacheTtl == null ? Duration.ofMinutes(5) : cacheTtl;
            cacheSize = cacheSize == null ? 10_000 : cacheSize;
            InvalidConfigException.require(cacheSize > 0, "cache-size", "must be > 0");
            consumerClaim = consumerClaim == null ? "sub" : consumerClaim;
            requiredScopes = requiredScopes == null ? List.of() : requiredScopes;
            maxTokenSize = maxTokenSize == null ? DataSize.ofKilobytes(8) : maxTokenSize;
        }
    }

    @Override
    public String name() {
        return "oauth2-introspection";
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
        return new IntrospectionFilter(config, new Introspector(config, context),
                new TokenSource("Authorization", null),
                Authentication.of(config.anonymous(), config.consumerHeaders(), context.consumers()));
    }
}
