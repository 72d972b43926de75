package org.ndis4j.kernel.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threaded scheduler's lock: a {@link ReentrantLock}. A spin acquire spins briefly on
 * {@code tryLock}, then waits parked in the lock's queue, woken by the holder's unlock.
 *
 * <p>Why not spin until the lock is free: on a machine with fewer cores than simulated contexts (two
 * here), the holder is often a thread the OS has descheduled, and a spinner then burns the very core
 * the holder needs to finish (the host benchmarks spent 4 to 12 % of their samples in this spin). A
 * short spin still catches the usual case, a holder running on the other core that releases within
 * a few microseconds.
 */
public final class ThreadedSeamLock implements Scheduler.SeamLock {

    /** {@code onSpinWait} rounds before parking: a few microseconds. */
    private static final int SPINS_BEFORE_PARKING = 256;
    /** How often a parked waiter wakes to run its check (a crash of the machine ends the wait). */
    private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    /** Threads spinning for the lock now (they wait without queuing on it). */
    private final AtomicInteger spinners = new AtomicInteger();

    @Override
    public void lock() {
        lock.lock();
    }

    @Override
    public void spin(Runnable check) {
        if (lock.tryLock()) {
            return;
        }
        spinners.incrementAndGet();
        boolean interrupted = false;
        try {
            for (int spins = 0; spins < SPINS_BEFORE_PARKING; spins++) {
                check.run();
                Thread.onSpinWait();
                if (lock.tryLock()) {
                    return;
                }
            }
            for (; ; ) {
                check.run();
                try {
                    if (lock.tryLock(CHECK_EVERY_NANOS, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // a spin lock's wait is not interruptible: only the check ends it
                }
            }
        } finally {
            spinners.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean tryLock() {
        return lock.tryLock();
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    @Override
    public boolean isLocked() {
        return lock.isLocked();
    }

    @Override
    public boolean hasWaiters() {
        return spinners.get() > 0 || lock.hasQueuedThreads();
    }
}
