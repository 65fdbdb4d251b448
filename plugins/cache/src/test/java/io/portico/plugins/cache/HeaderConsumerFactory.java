package io.portico.plugins.cache;

import io.portico.api.Consumer;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;

/** A stand-in authentication filter for tests: {@code X-Consumer: id} makes that consumer the caller. */
final class HeaderConsumerFactory implements FilterFactory<HeaderConsumerFactory.Config> {
    record Config() {
    }

    @Override
    public String name() {
        return "header-consumer";
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
            return chain.proceed(id == null ? exchange : exchange.withConsumer(Consumer.of(id)));
        };
    }
}
