package io.portico.core.script;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One version of one script file: its parsed source (shared by the engine, so it is parsed and
 * compiled once) and a bounded pool of contexts that evaluated it. A context serves one call at a
 * time; it goes back to the pool after a call that ended normally, and is thrown away after a
 * time-out, a limit, or an error, so that nothing a failed call left behind reaches the next one.
 *
 * <p>The pool never holds more contexts than it was given permits for. Compiled code that has
 * seen many contexts is several times slower than code that has seen a few (GraalJS can no longer
 * fold a context's values into it), and building a context costs milliseconds, so a call that
 * finds every context busy waits for one rather than building another.
 */
final class ScriptVersion implements AutoCloseable, ScriptLease.Home {
    private final ScriptSandbox sandbox;
    private final Source source;
    private final long statementLimit;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Idle> idle = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    final boolean hasOnRequest;
    final boolean hasOnResponse;
    /** Whether the script mentions a body at all: only then may a call read one (and need a thread of its own). */
    final boolean mentionsBody;

    /** Evaluates the script once, which reports a syntax error before any request sees this version. */
    ScriptVersion(ScriptSandbox sandbox, Source source, long statementLimit, int poolSize) {
        this.sandbox = sandbox;
        this.source = source;
        this.statementLimit = statementLimit;
        this.permits = new Semaphore(poolSize);
        Context first = sandbox.context(source, statementLimit);
        Value bindings = first.getBindings("js");
        this.hasOnRequest = bindings.hasMember("onRequest") && bindings.getMember("onRequest").canExecute();
        this.hasOnResponse = bindings.hasMember("onResponse") && bindings.getMember("onResponse").canExecute();
        this.mentionsBody = source.getCharacters().toString().contains(".body");
        idle.add(new Idle(ScriptContext.of(first), true));
    }

    private record Idle(ScriptContext prepared, boolean fresh) {
    }

    /** A context at once, or null when all are busy; throws when a new one does not evaluate. */
    ScriptLease tryBorrow() {
        return permits.tryAcquire() ? lease() : null;
    }

    /** A context within the wait, or null when none came free in it. */
    ScriptLease borrow(long waitMillis) throws InterruptedException {
        return permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS) ? lease() : null;
    }

    private ScriptLease lease() {
        Idle pooled = idle.poll();
        if (pooled != null) {
            return new ScriptLease(pooled.prepared(), pooled.fresh(), this);
        }
        try {
            return new ScriptLease(newContext(), true, this);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** A context of this version for a home of its own (a script worker); throws when it does not evaluate. */
    ScriptContext newContext() {
        return ScriptContext.of(sandbox.context(source, statementLimit));
    }

    @Override
    public void giveBack(ScriptLease lease) {
        idle.add(new Idle(lease.prepared, false));
        permits.release();
        if (closed.get()) {
            drain();
        }
    }

    @Override
    public void discard(ScriptLease lease) {
        ScriptSandbox.close(lease.context());
        permits.release();
    }

    boolean closed() {
        return closed.get();
    }

    /** Stops pooling; contexts lent out are closed when they come back. */
    @Override
    public void close() {
        closed.set(true);
        drain();
    }

    private void drain() {
        Idle pooled;
        while ((pooled = idle.poll()) != null) {
            ScriptSandbox.close(pooled.prepared().context());
        }
    }
}
