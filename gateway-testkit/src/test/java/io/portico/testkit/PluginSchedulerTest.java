package io.portico.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a plugin schedules ends with the configuration it was created for, as the plugin API promises. */
class PluginSchedulerTest {

    /** Each filter it creates counts ticks of a 10 ms task under its mark; with {@code stop}, it shuts "its" scheduler. */
    static final class Ticker implements FilterFactory<Ticker.Config> {
        record Config(String mark, Boolean stop) {
        }

        final Map<String, AtomicInteger> ticks = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "ticker";
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
            AtomicInteger count = ticks.computeIfAbsent(config.mark(), mark -> new AtomicInteger());
            context.scheduler().scheduleWithFixedDelay(count::incrementAndGet, 0, 10, TimeUnit.MILLISECONDS);
            if (Boolean.TRUE.equals(config.stop())) {
                context.scheduler().shutdownNow();
            }
            return (exchange, chain) -> chain.proceed(exchange);
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
        try (TestGateway gateway = TestGateway.builder().yaml(config("first", false)).filters(ticker).start()) {
            Thread.sleep(100);
            assertTrue(ticker.ticks.get("first").get() > 0, "the first configuration's task runs");

            gateway.reload(config("second", false));
            int stopped = settled(ticker.ticks.get("first"));
            Thread.sleep(100);
            assertEquals(stopped, ticker.ticks.get("first").get(), "the retired configuration's task no longer runs");
            int second = ticker.ticks.get("second").get();
            Thread.sleep(100);
            assertTrue(ticker.ticks.get("second").get() > second, "the serving configuration's task runs");
        }
    }

    @Test
    void aPluginShuttingItsSchedulerDown_stopsOnlyItsOwnTasks() throws Exception {
        Ticker ticker = new Ticker();
        try (TestGateway gateway = TestGateway.builder().yaml(config("stopper", true)).filters(ticker).start()) {
            gateway.reload(config("after", false));
            int after = ticker.ticks.get("after").get();
            Thread.sleep(100);
            assertTrue(ticker.ticks.get("after").get() > after, "the gateway's scheduler still runs tasks");
        }
    }
}
