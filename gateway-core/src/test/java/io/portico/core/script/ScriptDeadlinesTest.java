package io.portico.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog's decisions, on a clock the test moves (no context is needed to count stops). */
class ScriptDeadlinesTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger stopped = new AtomicInteger();
    private final ScriptDeadlines deadlines = new ScriptDeadlines(now::get, context -> stopped.incrementAndGet());
    private final Object call = new Object();

    @Test
    void aCallPastItsDeadline_isStopped_whenTheWatchdogLookedOnTime() {
        deadlines.start(call, null, 50);
        lookEveryPeriodFor(45);
        assertEquals(0, stopped.get());
        lookEveryPeriodFor(10);
        assertEquals(1, stopped.get(), "50 ms of running are its allowance");
        assertFalse(deadlines.end(call), "the call learns it was stopped");
    }

    @Test
    void timeTheWholeProcessStoodStill_isNotHeldAgainstACall() {
        deadlines.start(call, null, 50);
        lookEveryPeriodFor(10);
        advance(60);                       // a garbage-collection pause: nothing ran, the watchdog neither
        deadlines.stopOverdue();
        assertEquals(0, stopped.get(), "70 ms since the start, but 60 of them the process stood still");
        lookEveryPeriodFor(35);
        assertEquals(0, stopped.get());
        lookEveryPeriodFor(10);
        assertEquals(1, stopped.get(), "past 50 ms of its own running it is stopped all the same");
    }

    @Test
    void aCallThatStartsAfterAStall_getsNoCreditForIt() {
        lookEveryPeriodFor(10);
        advance(58);                       // the process stands still
        deadlines.start(call, null, 50);   // the call starts just as it resumes
        advance(2);
        deadlines.stopOverdue();           // the late look: the call overlapped 2 ms of it at most
        lookEveryPeriodFor(55);
        assertEquals(1, stopped.get(), "stopped 57 ms after its start, not 55 ms later still");
    }

    @Test
    void standingStill_movesADeadlineAtMostASecond() {
        deadlines.start(call, null, 50);
        for (int i = 0; i < 30 && stopped.get() == 0; i++) {
            advance(100);                  // one stall after another
            deadlines.stopOverdue();
        }
        assertEquals(1, stopped.get());
        long ran = (now.get() - 1_000_000_000L) / 1_000_000;
        assertTrue(ran >= 1_050 && ran <= 1_150, "stopped after " + ran + " ms");
    }

    @Test
    void aCallThatEndsInTime_isNeverStopped() {
        deadlines.start(call, null, 50);
        lookEveryPeriodFor(20);
        assertTrue(deadlines.end(call));
        lookEveryPeriodFor(100);
        assertEquals(0, stopped.get());
    }

    private void lookEveryPeriodFor(long millis) {
        for (long passed = 0; passed < millis; passed += ScriptDeadlines.PERIOD_MILLIS) {
            advance(ScriptDeadlines.PERIOD_MILLIS);
            deadlines.stopOverdue();
        }
    }

    private void advance(long millis) {
        now.addAndGet(millis * 1_000_000);
    }
}
