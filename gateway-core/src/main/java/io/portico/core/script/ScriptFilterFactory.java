package io.portico.core.script;

import io.portico.api.DataSize;
import io.portico.api.FilterFactory;
import io.portico.api.GatewayFilter;
import io.portico.api.InvalidConfigException;
import io.portico.api.Metrics;
import io.portico.api.Phase;
import io.portico.api.PluginContext;
import io.portico.core.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code js}: a filter written in JavaScript, in a file under the installation (usually
 * {@code filters/}), run by GraalJS in a sandbox. The core provides it rather than a plugin jar:
 * GraalVM's polyglot runtime finds no language from a plugin's own class loader, so the engine
 * lives on the gateway's class path. The runtime is started the first time a configuration names
 * a js filter, and closed with the gateway.
 */
public final class ScriptFilterFactory implements FilterFactory<ScriptFilterFactory.Config>, AutoCloseable {

    /**
     * @param script         the file, relative to the installation folder ({@code filters/tenant.js})
     * @param config         handed to the script as {@code config}
     * @param timeout        wall time allowed per call (default 50ms)
     * @param statementLimit statements allowed per call (default 1,000,000)
     * @param errorStatus    the status answered when the script fails or runs over (default 500)
     * @param maxBodySize    the largest body a script may read (default 1MB)
     */
    public record Config(String script, ConfigNode config, Duration timeout, Long statementLimit, Integer errorStatus,
                         DataSize maxBodySize) {
        public Config {
            InvalidConfigException.require(script != null && script.endsWith(".js"), "script",
                    "name a .js file, such as filters/tenant.js");
            timeout = timeout == null ? Duration.ofMillis(50) : timeout;
            InvalidConfigException.require(!timeout.isNegative() && !timeout.isZero() && timeout.toSeconds() <= 60,
                    "timeout", "must be more than 0 and at most 60s");
            statementLimit = statementLimit == null ? 1_000_000L : statementLimit;
            InvalidConfigException.require(statementLimit > 0, "statement-limit", "must be more than 0");
            errorStatus = errorStatus == null ? 500 : errorStatus;
            InvalidConfigException.require(errorStatus >= 400 && errorStatus <= 599, "error-status", "must be 400 to 599");
            maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        }
    }

    private final Path home;
    private final Metrics metrics;
    private ScriptRuntime runtime;

    /**
     * @param home    the folder script paths are relative to
     * @param metrics where per-script calls, errors, time-outs and time spent are counted
     */
    public ScriptFilterFactory(Path home, Metrics metrics) {
        this.home = home;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "js";
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
        Path path = home.resolve(config.script()).normalize();
        ScriptFile file = runtime().file(path, config.statementLimit());
        return new ScriptFilter(file, runtime().deadlines(), config, ScriptData.json(config.config()),
                new ScriptMeters(metrics, path.getFileName().toString()));
    }

    private synchronized ScriptRuntime runtime() {
        if (runtime == null) {
            runtime = new ScriptRuntime();
        }
        return runtime;
    }

    @Override
    public synchronized void close() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }
}
