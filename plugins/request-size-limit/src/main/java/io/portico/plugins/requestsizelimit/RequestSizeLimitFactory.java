package io.portico.plugins.requestsizelimit;

import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.NonBlockingFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import org.pf4j.Extension;

/**
 * {@code request-size-limit}: refuses a request body larger than {@code max} with a 413 problem
 * response. A declared {@code Content-Length} over the limit is refused before anything is
 * forwarded; a body without one is counted while it streams and cut off at the limit.
 */
@Extension
public final class RequestSizeLimitFactory implements FilterFactory<RequestSizeLimitFactory.Config> {

    /**
     * @param max the largest request body accepted, such as {@code 1MB}
     */
    public record Config(DataSize max) {
        public Config {
            InvalidConfigException.require(max != null, "max", "must be set, such as 1MB");
        }
    }

    @Override
    public String name() {
        return "request-size-limit";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Phase phase() {
        return Phase.EDGE;
    }

    @Override
    public GatewayFilter create(Config config, PluginContext context) {
        long max = config.max().bytes();
        NonBlockingFilter filter = (exchange, chain) -> chain.proceed(exchange.withRequest(
                exchange.request().withBody(exchange.request().body().limit(max))));
        return filter;
    }
}
