package io.portico.core.server;

import java.io.IOException;
import java.nio.channels.Selector;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * A selector that knows which thread takes its current turn: the one whose select returned last
 * (with more than one ready connection), until a select starts again. That thread runs the
 * submitted updates before it selects, so work it submits runs at the end of its turn without
 * waking anyone, together with the work of the turn's other connections.
 */
final class LoopSelector extends ManagedSelector {
    private static final int GATHER_FROM = 8;
    // what one turn may hold: a held answer keeps its buffers until the turn ends, and a turn may
    // find thousands of answers ready at once; flat out with 32 connections a turn holds up to 64
    private static final int MAX_HELD = 128;
    private volatile Thread turnThread;
    // how much the current turn holds, counted by its thread and reset by the next select; should
    // Jetty hand the selecting to another thread mid-turn the count is off by a few, which at
    // worst writes some answers sooner
    private int held;

    LoopSelector(SelectorManager manager, int id) {
        super(manager, id);
    }

    @Override
    protected int nioSelect(Selector selector, boolean now) throws IOException {
        // while it selects, nobody takes a turn: work held meanwhile would need a wake-up. Jetty may
        // hand production to another thread while this one runs a task; that thread selects next,
        // which clears this one's claim
        turnThread = null;
        int selected = super.nioSelect(selector, now);
        // a turn with few ready connections has little to gather, and holding its writes delays
        // them: when Jetty hands the selecting to another thread, the held work waits for that
        // thread (measured at 5,000 req/s, 32 connections: +60 µs at the median holding from 2
        // ready connections up, +10 µs from 8 up, which still gathers flat out)
        held = 0;
        turnThread = selected >= GATHER_FROM ? Thread.currentThread() : null;
        return selected;
    }

    /**
     * Whether a piece of the calling thread's work may wait for the end of this selector's turn,
     * and counts it: the thread takes the turn, the turn has many connections to serve, and it
     * holds fewer than {@value #MAX_HELD} pieces already.
     */
    boolean holdsOnThisThread() {
        if (turnThread != Thread.currentThread() || held >= MAX_HELD) {
            return false;
        }
        held++;
        return true;
    }
}
