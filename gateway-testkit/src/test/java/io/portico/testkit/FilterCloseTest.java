package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.api.Response;
import io.portico.core.config.ConfigException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A filter that is AutoCloseable is closed once, when its configuration is done with it, as the plugin API says. */
class FilterCloseTest {

    /** Each filter it creates counts its closes under its mark; mark "throws" fails to close. */
    static final class Holder implements FilterFactory<Holder.Config> {
        record Config(String mark) {
        }

        final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "holder";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public Phase phase() {
            return Phase.TRANSFORM;
        }

        @Override
        public GatewayFilter create(Config config, PluginContext context) {
            AtomicInteger count = closes.computeIfAbsent(config.mark(), mark -> new AtomicInteger());
            return new Held(config.mark(), count);
        }
    }

    record Held(String mark, AtomicInteger closes) implements GatewayFilter, AutoCloseable {
        @Override
        public Response filter(Exchange exchange, FilterChain chain) throws Exception {
            return chain.proceed(exchange);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            if (mark.equals("throws")) {
                throw new IllegalStateException("cannot let go");
            }
        }
    }

    static String config(String mark, String extra) {
        return """
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: holder
                        config: { mark: %s }
                """.formatted(mark) + extra;
    }

    @Test
    void aRetiredConfigurationsFilters_areClosedOnce_aRefusedOnesAtOnce_andTheServingOnesAtStop() throws Exception {
        Holder holder = new Holder();
        try (TestGateway gateway = TestGateway.builder().yaml(config("first", "")).filters(holder).start()) {
            assertEquals(0, holder.closes.get("first").get(), "a serving filter stays open");

            gateway.reload(config("second", ""));
            awaitCount(holder.closes.get("first"), 1);
            assertEquals(0, holder.closes.get("second").get());

            // a configuration refused after its filter was made: the filter never serves, and is closed
            assertThrows(ConfigException.class, () -> gateway.reload(config("refused", """
                      - id: broken
                        match: { paths: [/b] }
                        upstream: nowhere
                    """)));
            assertEquals(1, holder.closes.get("refused").get());
            assertEquals(0, holder.closes.get("second").get(), "the serving configuration is untouched");

            // a filter whose close throws is logged, and the next configuration applies
            gateway.reload(config("throws", ""));
            gateway.reload(config("third", ""));
            awaitCount(holder.closes.get("throws"), 1);
            awaitCount(holder.closes.get("second"), 1);
        }
        assertEquals(1, holder.closes.get("third").get(), "the gateway's stop closes the serving filters");
        assertEquals(1, holder.closes.get("first").get(), "closed once, never again");
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        // retirement waits for the configuration's last request; none is running here, so it is prompt
        for (int i = 0; i < 100 && count.get() < expected; i++) {
            Thread.sleep(20);
        }
        assertEquals(expected, count.get());
    }
}
