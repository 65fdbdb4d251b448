package io.portico.core.script;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One version of one script file: its parsed source (shared by the engine, so it is parsed and
 * compiled once) and a pool of contexts that evaluated it. A context serves one call at a time;
 * it goes back to the pool after a call that ended normally, and is thrown away after a time-out,
 * a limit, or an error, so that nothing a failed call left behind reaches the next one.
 */
final class ScriptVersion implements AutoCloseable {
    private final ScriptSandbox sandbox;
    private final Source source;
    private final long statementLimit;
    private final ArrayBlockingQueue<Context> idle;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Context firstIdle;
    final boolean hasOnRequest;
    final boolean hasOnResponse;
    /** Whether the script mentions a body at all: only then may a call read one (and need a thread of its own). */
    final boolean mentionsBody;

    /** Evaluates the script once, which reports a syntax error before any request sees this version. */
    ScriptVersion(ScriptSandbox sandbox, Source source, long statementLimit, int poolSize) {
        this.sandbox = sandbox;
        this.source = source;
        this.statementLimit = statementLimit;
        this.idle = new ArrayBlockingQueue<>(poolSize);
        Context first = sandbox.context(source, statementLimit);
        Value bindings = first.getBindings("js");
        this.hasOnRequest = bindings.hasMember("onRequest") && bindings.getMember("onRequest").canExecute();
        this.hasOnResponse = bindings.hasMember("onResponse") && bindings.getMember("onResponse").canExecute();
        this.mentionsBody = source.getCharacters().toString().contains(".body");
        // the first context is kept for the first call, which then runs cold: see ScriptFilter
        this.firstIdle = first;
    }

    /** A context for one call; {@code fresh} when it has never run a call (the first runs cold). */
    record Lease(Context context, boolean fresh) {
    }

    Lease borrow() {
        Context first = firstIdle;
        if (first != null) {
            synchronized (this) {
                if (firstIdle == first) {
                    firstIdle = null;
                    return new Lease(first, true);
                }
            }
        }
        Context context = idle.poll();
        return context != null ? new Lease(context, false) : new Lease(sandbox.context(source, statementLimit), true);
    }

    void giveBack(Context context) {
        if (closed.get() || !idle.offer(context)) {
            ScriptSandbox.close(context);
        }
    }

    void discard(Context context) {
        ScriptSandbox.close(context);
    }

    /** Stops pooling; contexts lent out are closed when they come back. */
    @Override
    public void close() {
        closed.set(true);
        Context first = firstIdle;
        if (first != null) {
            firstIdle = null;
            ScriptSandbox.close(first);
        }
        Context context;
        while ((context = idle.poll()) != null) {
            ScriptSandbox.close(context);
        }
    }
}
