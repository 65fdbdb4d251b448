package io.portico.core.script;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Engine;

/**
 * What all js filters of a gateway share: one polyglot engine, so that a script's parsed and
 * compiled code serves every context and every route; the script files by path; a daemon thread
 * that stops over-running calls and one that looks for edited files.
 */
final class ScriptRuntime implements AutoCloseable {
    private final Engine engine;
    private final ScriptSandbox sandbox;
    private final ScheduledExecutorService watchdog;
    private final ScheduledExecutorService reloader;
    private final ScriptDeadlines deadlines = new ScriptDeadlines(System::nanoTime, ScriptSandbox::close);
    private final ConcurrentHashMap<String, ScriptFile> files = new ConcurrentHashMap<>();
    // pooled contexts per script that reads bodies: enough for every core to run the script at
    // once, few enough that its compiled code stays fast (see ScriptVersion)
    private final int poolSize = Math.max(2, Runtime.getRuntime().availableProcessors());
    // threads per script for calls that wait for nothing: one per core (see ScriptWorkers)
    private final int workerCount = Math.max(1, Runtime.getRuntime().availableProcessors());

    ScriptRuntime() {
        this.engine = Engine.newBuilder("js")
                // bin/portico starts the JIT where the JDK allows it; elsewhere the interpreter is the known choice
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.sandbox = new ScriptSandbox(engine);
        System.getLogger("portico.js").log(System.Logger.Level.INFO, "js filters run on GraalJS " + engine.getVersion()
                + " (" + engine.getImplementationName() + "; \"Interpreted\" means without the JIT, see docs/js-filters.md)");
        // its own thread: the deadlines read a late look as the process standing still, which a
        // slow reload on the same thread would fake
        this.watchdog = daemon("portico-js-watchdog");
        this.reloader = daemon("portico-js-reload");
        reloader.scheduleWithFixedDelay(this::reloadChanged, 500, 500, TimeUnit.MILLISECONDS);
        watchdog.scheduleWithFixedDelay(deadlines::stopOverdue, ScriptDeadlines.PERIOD_MILLIS, ScriptDeadlines.PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The file at this path, loaded once per statement limit; throws when it does not evaluate. */
    ScriptFile file(Path path, long statementLimit) {
        String key = path.toAbsolutePath().normalize() + "#" + statementLimit;
        ScriptFile existing = files.get(key);
        if (existing != null) {
            return existing;
        }
        ScriptFile loaded = new ScriptFile(sandbox, path.toAbsolutePath().normalize(), statementLimit, poolSize, workerCount);
        ScriptFile raced = files.putIfAbsent(key, loaded);
        if (raced != null) {
            loaded.close();
            return raced;
        }
        return loaded;
    }

    ScriptDeadlines deadlines() {
        return deadlines;
    }

    private void reloadChanged() {
        for (ScriptFile file : List.copyOf(files.values())) {
            try {
                file.reloadIfChanged();
            } catch (RuntimeException e) {
                System.getLogger("portico.js").log(System.Logger.Level.WARNING, "reloading " + file.path() + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        reloader.shutdownNow();
        files.values().forEach(ScriptFile::close);
        try {
            engine.close(true);
        } catch (RuntimeException e) {
            // contexts still lent out are cancelled with it
        }
    }
}
