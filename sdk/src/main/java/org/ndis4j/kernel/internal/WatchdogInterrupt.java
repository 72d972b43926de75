package org.ndis4j.kernel.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The DPC watchdog's interrupt of the thread that runs a processor's routine. On a raising thread
 * (docs/kernel.md; threaded scheduler only) that interrupt must end with the routine: the thread goes back to its own work
 * (a device's I/O loop) once it gives the processor back, and a late interrupt would end its next
 * wait. So the watchdog announces the interrupt before it checks the routine still runs, and the
 * raising thread, once it has given the processor back, either withdraws the announcement (the
 * watchdog then interrupts nobody) or waits for the interrupt being delivered and clears it. Both
 * sides write, then read the other's volatile state: one of them sees the other.
 */
public final class WatchdogInterrupt {

    /** null, the thread announced, or the {@link Delivering} to it. */
    private final AtomicReference<Object> state = new AtomicReference<>();

    private record Delivering(Thread to) {}

    /** The watchdog will interrupt {@code runner} if what it found still runs. */
    public void announce(Thread runner) {
        state.set(runner);
    }

    /** The watchdog found it ended: no interrupt. */
    public void cancel(Thread runner) {
        state.compareAndSet(runner, null);
    }

    /** Interrupts {@code runner} unless it gave the processor back since the announcement. */
    public void deliver(Thread runner) {
        Delivering delivering = new Delivering(runner);
        if (state.compareAndSet(runner, delivering)) {
            runner.interrupt();
            state.set(null);
        }
    }

    /**
     * Called by a raising thread once it has given the processor back: no watchdog interrupt of its
     * routine is left to land later, and none is left set.
     */
    public void settle() {
        Thread self = Thread.currentThread();
        for (; ; ) {
            Object s = state.get();
            if (s == self) {
                if (state.compareAndSet(self, null)) {
                    break;
                }
            } else if (s instanceof Delivering d && d.to() == self) {
                Thread.onSpinWait(); // one Thread.interrupt() call away
            } else {
                break;
            }
        }
        Thread.interrupted();
    }
}
