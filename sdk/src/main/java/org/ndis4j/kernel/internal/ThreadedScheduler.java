package org.ndis4j.kernel.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler of real threads: every context is a platform thread, the clock is the JVM's
 * monotonic clock, and the clock thread is a one-thread scheduled executor.
 */
public final class ThreadedScheduler implements Scheduler {

    private final ScheduledThreadPoolExecutor clock;

    /** A scheduler whose clock thread is named {@code name + "-clock"} and carries {@code clockContext}. */
    public ThreadedScheduler(String name, Object clockContext) {
        clock = new ScheduledThreadPoolExecutor(1, r -> new KernelThread(name + "-clock", clockContext, r));
        clock.setRemoveOnCancelPolicy(true);
        clock.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public KernelThread startThread(String name, Object context, Runnable body) {
        KernelThread t = new KernelThread(name, context, body);
        t.start();
        return t;
    }

    @Override
    public TaskQueue newTaskQueue() {
        return new LifoWakeTaskQueue();
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable action) {
        ScheduledFuture<?> f;
        try {
            f = clock.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            return () -> false; // the machine is shutting down: nothing runs on its clock any more
        }
        return () -> f.cancel(false);
    }

    @Override
    public Waitable newEvent(boolean signaled) {
        return new ThreadedEvent(signaled);
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    @Override
    public void shutdown() {
        clock.shutdownNow();
    }

    /** A notification event (stays set until reset). */
    private static final class ThreadedEvent implements Waitable {
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
        public boolean await(long timeoutNanos) throws InterruptedException {
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
}
