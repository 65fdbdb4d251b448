package io.portico.plugins.auth;

import io.portico.api.Consumer;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.Map;
import java.util.Set;

/**
 * Stands in for a token plugin (jwt, oauth2-introspection) in acl tests: the consumer, its scopes
 * and a tenant claim come from test headers, as a verified token's claims would.
 */
final class TokenStandInFactory implements FilterFactory<TokenStandInFactory.Config> {
    record Config() {
    }

    @Override
    public String name() {
        return "token-stand-in";
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
        NonBlockingFilter filter = (exchange, chain) -> {
            String subject = exchange.request().header("X-Test-Subject");
            if (subject == null) {
                return chain.proceed(exchange);
            }
            String scope = exchange.request().header("X-Test-Scope");
            String tenant = exchange.request().header("X-Test-Tenant");
            Map<String, String> claims = new java.util.HashMap<>();
            if (scope != null) {
                claims.put(Consumer.SCOPE, scope);
            }
            if (tenant != null) {
                claims.put("tenant", tenant);
            }
            return chain.proceed(exchange.withConsumer(new Consumer(subject, Set.of(), claims)));
        };
        return filter;
    }
}
