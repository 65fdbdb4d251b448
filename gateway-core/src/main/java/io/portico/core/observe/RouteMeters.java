package io.portico.core.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** One route's meters, looked up once when the configuration loads. */
public final class RouteMeters {
    private final Counter[] byStatusClass;
    private final Timer duration;

    RouteMeters(Counter[] byStatusClass, Timer duration) {
        this.byStatusClass = byStatusClass;
        this.duration = duration;
    }

    /** One answered request. */
    public void record(int status, long nanos) {
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            byStatusClass[statusClass].increment();
        }
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }
}
