package io.portico.plugins.ratelimit;

import io.portico.api.Consumer;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for an authentication plugin: {@code X-Consumer} names the consumer and
 * {@code X-Tenant-Claim} gives it a {@code tenant} claim, as a JWT filter would.
 */
final class TestConsumers implements FilterFactory<TestConsumers.Config> {

    record Config() {
    }

    @Override
    public String name() {
        return "test-consumer";
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
        return (exchange, chain) -> {
            String id = exchange.request().header("X-Consumer");
            if (id == null) {
                return chain.proceed(exchange);
            }
            String tenant = exchange.request().header("X-Tenant-Claim");
            return chain.proceed(exchange.withConsumer(
                    new Consumer(id, Set.of(), tenant == null ? Map.of() : Map.of("tenant", tenant))));
        };
    }
}
