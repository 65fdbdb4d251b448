package io.portico.core.server;

import java.io.IOException;
import java.nio.channels.Selector;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * A selector that knows which thread takes its turns. Jetty hands the selecting role from thread
 * to thread; the one that selected last runs the submitted updates before it selects again, so
 * work it submits runs at the end of its turn without waking anyone.
 */
final class LoopSelector extends ManagedSelector {
    private volatile Thread turnThread;

    LoopSelector(SelectorManager manager, int id) {
        super(manager, id);
    }

    @Override
    protected int nioSelect(Selector selector, boolean now) throws IOException {
        turnThread = Thread.currentThread();
        return super.nioSelect(selector, now);
    }

    /** Whether the calling thread takes this selector's current turn. */
    boolean onTurnThread() {
        return turnThread == Thread.currentThread();
    }
}
