package io.portico.core.proxy;

/**
 * An end point served by a selector that can hold work until the end of its current turn: the
 * writes of every exchange the turn moved on then go out back to back, and a peer woken by the
 * first finds the others waiting instead of being woken for each.
 */
public interface TurnEnd {
    /**
     * Runs {@code work} after the selector's current turn when called on the thread taking that
     * turn, or at once on any other thread (where holding it would cost a wake-up of the selector).
     */
    void atTurnEnd(Runnable work);
}
