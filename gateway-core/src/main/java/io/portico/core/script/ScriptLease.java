package io.portico.core.script;

import org.graalvm.polyglot.Context;

/**
 * A context lent for one call. The call hands it back exactly once: {@link #giveBack} after a call
 * that ended normally, {@link #discard} after a time-out, a limit or an error; either is a no-op on
 * a lease already ended. {@code fresh} when the context never ran a call: the first call runs cold.
 */
final class ScriptLease {
    /** Where a lease's context comes from and goes back to. */
    interface Home {
        void giveBack(ScriptLease lease);

        void discard(ScriptLease lease);
    }

    /** The context, with its entry functions. */
    final ScriptContext prepared;
    final boolean fresh;
    private final Home home;
    private boolean ended;

    ScriptLease(ScriptContext prepared, boolean fresh, Home home) {
        this.prepared = prepared;
        this.fresh = fresh;
        this.home = home;
    }

    Context context() {
        return prepared.context();
    }

    void giveBack() {
        if (end()) {
            home.giveBack(this);
        }
    }

    void discard() {
        if (end()) {
            home.discard(this);
        }
    }

    private boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }
}
