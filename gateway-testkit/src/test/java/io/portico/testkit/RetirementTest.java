package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.Exchange;
import io.portico.api.FilterChain;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.Response;
import io.portico.core.config.ConfigException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a plugin's filters hold ends with the configuration they were created for, as the plugin
 * API promises: the tasks they scheduled are cancelled and the filters are closed.
 */
class RetirementTest {

    /**
     * Makes filters that count ticks of a 10 ms task, and their closes, under their mark; with
     * {@code stop}, a filter shuts "its" scheduler; a filter marked {@code throws} fails to close.
     */
    static final class Ticker {
        record Config(String mark, Boolean stop) {
        }

        final Map<String, AtomicInteger> ticks = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();

        FilterFactory<Config> factory() {
            return TestFilters.factory("ticker", Config.class, Phase.TRANSFORM, (config, context) -> {
                AtomicInteger count = ticks.computeIfAbsent(config.mark(), mark -> new AtomicInteger());
                context.scheduler().scheduleWithFixedDelay(count::incrementAndGet, 0, 10, TimeUnit.MILLISECONDS);
                if (Boolean.TRUE.equals(config.stop())) {
                    context.scheduler().shutdownNow();
                }
                return new Held(config.mark(), closes.computeIfAbsent(config.mark(), mark -> new AtomicInteger()));
            });
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

    static String config(String mark, boolean stop) {
        return """
                routes:
                  - id: r
                    match: { paths: [/r] }
                    url: http://127.0.0.1:9
                    plugins:
                      - name: ticker
                        config: { mark: %s, stop: %s }
                """.formatted(mark, stop);
    }

    static String config(String mark) {
        return config(mark, false);
    }

    static int settled(AtomicInteger count) throws InterruptedException {
        int before;
        int after = count.get();
        int rounds = 0;
        do {
            before = after;
            Thread.sleep(60);
            after = count.get();
        } while (after != before && ++rounds < 50);
        return after;
    }

    @Test
    void aRetiredConfigurationsTasksStop_andTheNextOnesRun() throws Exception {
        Ticker ticker = new Ticker();
        try (TestGateway gateway = TestGateway.builder().yaml(config("first")).filters(ticker.factory()).start()) {
            Thread.sleep(100);
            assertTrue(ticker.ticks.get("first").get() > 0, "the first configuration's task runs");

            gateway.reload(config("second"));
            int stopped = settled(ticker.ticks.get("first"));
            Thread.sleep(100);
            assertEquals(stopped, ticker.ticks.get("first").get(), "the retired configuration's task no longer runs");
            assertTicking(ticker.ticks.get("second"), "the serving configuration's task runs");
        }
    }

    @Test
    void aPluginShuttingItsSchedulerDown_stopsOnlyItsOwnTasks() throws Exception {
        Ticker ticker = new Ticker();
        try (TestGateway gateway = TestGateway.builder().yaml(config("stopper", true)).filters(ticker.factory()).start()) {
            gateway.reload(config("after"));
            assertTicking(ticker.ticks.get("after"), "the gateway's scheduler still runs tasks");
        }
    }

    @Test
    void aRetiredConfigurationsFilters_areClosedOnce_aRefusedOnesAtOnce_andTheServingOnesAtStop() throws Exception {
        Ticker ticker = new Ticker();
        try (TestGateway gateway = TestGateway.builder().yaml(config("first")).filters(ticker.factory()).start()) {
            assertEquals(0, ticker.closes.get("first").get(), "a serving filter stays open");

            gateway.reload(config("second"));
            awaitCount(ticker.closes.get("first"), 1);
            assertEquals(0, ticker.closes.get("second").get());

            // a configuration refused after its filter was made: the filter never serves, and is closed
            assertThrows(ConfigException.class, () -> gateway.reload(config("refused") + """
                      - id: broken
                        match: { paths: [/b] }
                        upstream: nowhere
                    """));
            assertEquals(1, ticker.closes.get("refused").get());
            assertEquals(0, ticker.closes.get("second").get(), "the serving configuration is untouched");

            // a filter whose close throws is logged, and the next configuration applies
            gateway.reload(config("throws"));
            gateway.reload(config("third"));
            awaitCount(ticker.closes.get("throws"), 1);
            awaitCount(ticker.closes.get("second"), 1);
        }
        assertEquals(1, ticker.closes.get("third").get(), "the gateway's stop closes the serving filters");
        assertEquals(1, ticker.closes.get("first").get(), "closed once, never again");
    }

    private static void assertTicking(AtomicInteger ticks, String message) throws InterruptedException {
        int before = ticks.get();
        Thread.sleep(100);
        assertTrue(ticks.get() > before, message);
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        // retirement waits for the configuration's last request; none is running here, so it is prompt
        for (int i = 0; i < 100 && count.get() < expected; i++) {
            Thread.sleep(20);
        }
        assertEquals(expected, count.get());
    }
}
