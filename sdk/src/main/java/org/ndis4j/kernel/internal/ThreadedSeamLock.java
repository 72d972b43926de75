package org.ndis4j.kernel.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threaded scheduler's lock: a {@link ReentrantLock}. A spin acquire spins on {@code tryLock},
 * yielding now and then, since there may be more simulated contexts than cores.
 */
public final class ThreadedSeamLock implements Scheduler.SeamLock {

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
        try {
            for (int spins = 1; !lock.tryLock(); spins++) {
                check.run();
                if ((spins & 63) == 0) {
                    Thread.yield(); // more simulated contexts than cores: let the holder run
                } else {
                    Thread.onSpinWait();
                }
            }
        } finally {
            spinners.decrementAndGet();
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
