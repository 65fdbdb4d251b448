package io.portico.plugins.auth;

import io.portico.api.Authentication;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import org.pf4j.Extension;

/**
 * {@code key-auth}: identifies the consumer by an API key in a header and/or a query parameter,
 * matched against the SHA-256 digests in the {@code consumers:} section.
 */
@Extension
public final class KeyAuthFactory implements FilterFactory<KeyAuthFactory.Config> {

    /**
     * @param header          the header carrying the key; {@code X-Api-Key} when neither this nor
     *                        {@code query} is set
     * @param query           the query parameter carrying the key, if keys may come in the URL
     * @param keepCredential  forward the key upstream (default: removed)
     * @param consumerHeaders send {@code X-Consumer-Id} and {@code X-Consumer-Groups} upstream (default true)
     * @param anonymous       the consumer a request without a key goes on as; none: 401
     */
    public record Config(String header, String query, boolean keepCredential, Boolean consumerHeaders,
                         String anonymous) {
        public Config {
            if (header == null && query == null) {
                header = "X-Api-Key";
            }
            InvalidConfigException.require(header == null || header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "header",
                    "must be a header name");
            InvalidConfigException.require(query == null || !query.isBlank(), "query", "must not be blank");
        }
    }

    @Override
    public String name() {
        return "key-auth";
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
        return new KeyAuthFilter(config, ApiKeys.of(context.consumers()),
                Authentication.of(config.anonymous(), config.consumerHeaders(), context.consumers()));
    }
}
