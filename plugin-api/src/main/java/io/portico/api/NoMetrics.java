package io.portico.api;

/** {@link Metrics#none()}. */
enum NoMetrics implements Metrics, Metrics.Counter, Metrics.Timer {
    INSTANCE;

    @Override
    public Counter counter(String name, String... tags) {
        return this;
    }

    @Override
    public Timer timer(String name, String... tags) {
        return this;
    }

    @Override
    public void increment() {
    }

    @Override
    public void increment(long amount) {
    }

    @Override
    public void record(long nanos) {
    }
}
