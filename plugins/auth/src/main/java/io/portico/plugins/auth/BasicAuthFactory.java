package io.portico.plugins.auth;

import io.portico.api.Authentication;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.time.Duration;
import org.pf4j.Extension;

/**
 * {@code basic-auth}: identifies the consumer by {@code Authorization: Basic}, against the bcrypt or
 * PBKDF2 password hashes in the {@code consumers:} section.
 */
@Extension
public final class BasicAuthFactory implements FilterFactory<BasicAuthFactory.Config> {

    /**
     * @param realm           named in {@code WWW-Authenticate} (default {@code portico})
     * @param keepCredential  forward {@code Authorization} upstream (default: removed)
     * @param consumerHeaders send {@code X-Consumer-Id} and {@code X-Consumer-Groups} upstream (default true)
     * @param anonymous       the consumer a request without credentials goes on as; none: 401
     * @param cacheTtl        how long a verified user and password is remembered (default 5m; 0s: never)
     */
    public record Config(String realm, boolean keepCredential, Boolean consumerHeaders, String anonymous,
                         Duration cacheTtl) {
        public Config {
            realm = realm == null ? "portico" : realm;
            InvalidConfigException.require(!realm.contains("\"") && !realm.contains("\\"), "realm",
                    "must not contain quotes or backslashes");
            cacheTtl = cacheTtl == null ? Duration.ofMinutes(5) : cacheTtl;
            InvalidConfigException.require(!cacheTtl.isNegative(), "cache-ttl", "must not be negative");
        }
    }

    @Override
    public String name() {
        return "basic-auth";
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
        return new BasicAuthFilter(config, Passwords.of(context.consumers()),
                new VerifiedPasswords(config.cacheTtl(), 10_000, context.clock()),
                Authentication.of(config.anonymous(), config.consumerHeaders(), context.consumers()));
    }
}
