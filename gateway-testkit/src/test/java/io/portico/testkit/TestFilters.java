package io.portico.testkit;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.Response;

/** Small filter factories for tests of the pipeline itself. */
final class TestFilters {
    private TestFilters() {
    }

    /** Appends its name to the {@code X-Trail} request header, and to the response's. */
    record TrailConfig(String mark) {
        TrailConfig {
            InvalidConfigException.require(mark != null && !mark.isBlank(), "mark", "must be set");
        }
    }

    static FilterFactory<TrailConfig> trail(String name, Phase phase) {
        return factory(name, TrailConfig.class, phase, config -> (exchange, chain) -> {
            String trail = exchange.request().header("X-Trail");
            Response response = chain.proceed(exchange.withRequest(exchange.request()
                    .withHeader("X-Trail", trail == null ? config.mark() : trail + "," + config.mark())));
            String back = response.header("X-Trail");
            return response.withHeader("X-Trail", back == null ? config.mark() : back + "," + config.mark());
        });
    }

    record NoConfig() {
    }

    static FilterFactory<NoConfig> throwing() {
        return factory("explode", NoConfig.class, Phase.TRANSFORM, config -> (exchange, chain) -> {
            throw new IllegalStateException("boom");
        });
    }

    static FilterFactory<NoConfig> proceedTwice() {
        return factory("twice", NoConfig.class, Phase.TRANSFORM, config -> (exchange, chain) -> {
            chain.proceed(exchange);
            return chain.proceed(exchange);
        });
    }

    static FilterFactory<NoConfig> returningNull() {
        return factory("nothing", NoConfig.class, Phase.TRANSFORM, config -> (exchange, chain) -> null);
    }

    static FilterFactory<NoConfig> answering() {
        return factory("teapot", NoConfig.class, Phase.EDGE, config -> (exchange, chain) ->
                Response.of(418, "text/plain", "short and stout, route " + exchange.route().id()));
    }

    interface Maker<C> {
        GatewayFilter make(C config);
    }

    /** Makes a filter with what the host lends the plugin (its scheduler, side calls). */
    interface ContextMaker<C> {
        GatewayFilter make(C config, PluginContext context);
    }

    static <C extends Record> FilterFactory<C> factory(String name, Class<C> type, Phase phase, Maker<C> maker) {
        return factory(name, type, phase, (ContextMaker<C>) (config, context) -> maker.make(config));
    }

    static <C extends Record> FilterFactory<C> factory(String name, Class<C> type, Phase phase,
                                                       ContextMaker<C> maker) {
        return new FilterFactory<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<C> configType() {
                return type;
            }

            @Override
            public Phase phase() {
                return phase;
            }

            @Override
            public GatewayFilter create(C config, PluginContext context) {
                return maker.make(config, context);
            }
        };
    }
}
