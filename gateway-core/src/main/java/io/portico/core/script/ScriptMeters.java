package io.portico.core.script;

import io.portico.api.Metrics;

/** Per script file: calls, errors, time-outs (wall time or statements), and time spent. */
record ScriptMeters(Metrics.Counter calls, Metrics.Counter errors, Metrics.Counter timeouts, Metrics.Timer time) {

    ScriptMeters(Metrics metrics, String script) {
        this(metrics.counter("js.calls", "script", script), metrics.counter("js.errors", "script", script),
                metrics.counter("js.timeouts", "script", script), metrics.timer("js.duration", "script", script));
    }
}
