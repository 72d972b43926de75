package org.ndis4j.kernel.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Which thread runs a processor's routines now: the processor's own thread, or a thread that raised
 * an interrupt while the processor was idle and runs it in that thread's place (docs/kernel.md,
 * "Interrupts on the raising thread"). Whoever runs a routine takes it first with one CAS, so a
 * processor never runs two routines at once, whichever threads are involved.
 *
 * <p>Only the processor's own thread ever waits for it ({@link #awaitFree()}); a raising thread that
 * finds it taken queues its interrupt instead. The hand-back is a Dekker pair: the waiter publishes
 * itself, then reads the owner; {@link #release()} clears the owner, then reads the waiter; one of
 * them sees the other, so the wake-up is never lost.
 */
public final class ProcessorOwnership {

    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** The processor's own thread, while it waits for a raising thread to give the processor back. */
    private volatile Thread waiting;

    /** Takes the processor for the calling thread; false when another thread runs it now. */
    public boolean tryAcquire() {
        return owner.compareAndSet(null, Thread.currentThread());
    }

    /** Gives the processor back (by the thread that took it) and wakes its own thread if it waits. */
    public void release() {
        owner.set(null);
        Thread w = waiting;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** The thread that runs the processor now, or null when it is idle. */
    public Thread owner() {
        return owner.get();
    }

    public boolean isOwnedByCurrentThread() {
        return owner.get() == Thread.currentThread();
    }

    /**
     * The processor's own thread waits until nobody runs the processor; it also returns when the
     * thread is interrupted (its processor is stopping), leaving the interrupt set.
     */
    public void awaitFree() {
        Thread me = Thread.currentThread();
        waiting = me;
        try {
            while (owner.get() != null && !me.isInterrupted()) {
                LockSupport.park(this);
            }
        } finally {
            waiting = null;
        }
    }

    /**
     * Waits up to {@code timeoutNanos} until nobody runs the processor (a kernel closing while a
     * raising thread still runs a routine); true when it is free. Polls: closing is rare.
     */
    public boolean awaitFree(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (owner.get() != null) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(200));
        }
        return true;
    }
}
