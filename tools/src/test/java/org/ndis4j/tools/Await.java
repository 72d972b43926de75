package org.ndis4j.tools;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a real condition, with a deadline; fails with what was awaited. */
final class Await {

    /** A condition that may do I/O (ask the control endpoint, say). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000); // poll interval, not synchronisation
        }
    }
}
