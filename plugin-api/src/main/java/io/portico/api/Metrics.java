package io.portico.api;

/**
 * Meters a plugin reports through the gateway's metrics (served in Prometheus format on the admin
 * port's {@code /metrics}). Names are the plugin's own, in dotted lower case
 * ({@code keys.refreshed}); the gateway prefixes them with {@code portico.plugin.} and tags them
 * with the plugin id. Tags come in name, value pairs.
 *
 * <p>Look meters up once, when a filter is created, and keep them: asking again for the same
 * name and tags returns the same meter, but costs a lookup that the request path should not pay.
 */
public interface Metrics {

    /** A count that only goes up. */
    Counter counter(String name, String... tags);

    /** How long something took, as a count, a total and a maximum. */
    Timer timer(String name, String... tags);

    /** A count that only goes up. */
    interface Counter {
        /** Adds one. */
        void increment();

        /** Adds {@code amount}, which must not be negative. */
        void increment(long amount);
    }

    /** Durations. */
    interface Timer {
        /** Records one duration, in nanoseconds. */
        void record(long nanos);
    }

    /** Meters that record nothing: for contexts made outside a gateway. */
    static Metrics none() {
        return NoMetrics.INSTANCE;
    }
}
