package io.portico.core.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * A script file and the version of it in use. Checked for changes every half second: a change
 * that evaluates becomes the version new calls use; one that does not is logged with its file,
 * line and column, and the previous version stays.
 */
final class ScriptFile {
    private static final System.Logger LOG = System.getLogger("portico.js");

    private final ScriptSandbox sandbox;
    private final Path path;
    private final long statementLimit;
    private final int poolSize;
    private final ScriptWorkers workers;
    private volatile ScriptVersion current;
    private volatile String text;

    /** @throws IllegalArgumentException when the file cannot be read or does not evaluate */
    ScriptFile(ScriptSandbox sandbox, Path path, long statementLimit, int poolSize, int workerCount) {
        this.sandbox = sandbox;
        this.path = path;
        this.statementLimit = statementLimit;
        this.poolSize = poolSize;
        String initial = read();
        if (initial == null) {
            throw new IllegalArgumentException("cannot read " + path);
        }
        try {
            current = version(initial);
        } catch (PolyglotException e) {
            throw new IllegalArgumentException(describe(e));
        }
        text = initial;
        workers = new ScriptWorkers(path.getFileName().toString(), workerCount);
    }

    ScriptVersion current() {
        return current;
    }

    /** The threads that run this file's calls that wait for nothing. */
    ScriptWorkers workers() {
        return workers;
    }

    Path path() {
        return path;
    }

    /** Loads the file again when its content changed. */
    void reloadIfChanged() {
        String now = read();
        if (now == null || now.equals(text)) {
            return;
        }
        text = now;
        ScriptVersion next;
        try {
            next = version(now);
        } catch (PolyglotException e) {
            LOG.log(System.Logger.Level.WARNING, describe(e) + "; the previous version stays in use");
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, path + " could not be loaded (" + e + "); the previous version stays in use");
            return;
        }
        ScriptVersion previous = current;
        current = next;
        previous.close();
        LOG.log(System.Logger.Level.INFO, path + " reloaded");
    }

    void close() {
        workers.close();
        current.close();
    }

    private ScriptVersion version(String content) {
        Source source = Source.newBuilder("js", content, path.getFileName().toString()).buildLiteral();
        return new ScriptVersion(sandbox, source, statementLimit, poolSize);
    }

    private String read() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code filters/x.js:3:7: SyntaxError: ...}: where a script failed, as an editor would point at it. */
    String describe(PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        String where = at == null ? path.toString() : path + ":" + at.getStartLine() + ":" + at.getStartColumn();
        return where + ": " + e.getMessage();
    }
}
