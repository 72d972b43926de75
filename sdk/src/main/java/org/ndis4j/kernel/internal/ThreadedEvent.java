package org.ndis4j.kernel.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The threaded scheduler's notification event (stays set until reset; every waiter wakes). */
final class ThreadedEvent implements Scheduler.Waitable {

    /** Guards signaled. */
    private final ReentrantLock lock = new ReentrantLock();

    private final Condition changed = lock.newCondition();
    private boolean signaled;

    ThreadedEvent(boolean signaled) {
        this.signaled = signaled;
    }

    @Override
    public void set() {
        lock.lock();
        try {
            signaled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reset() {
        lock.lock();
        try {
            signaled = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isSet() {
        lock.lock();
        try {
            return signaled;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean await(String what, long timeoutNanos, TimeoutKind kind) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (!signaled) {
                if (timeoutNanos < 0) {
                    changed.await();
                } else {
                    if (remaining <= 0) {
                        return false;
                    }
                    remaining = changed.awaitNanos(remaining);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
