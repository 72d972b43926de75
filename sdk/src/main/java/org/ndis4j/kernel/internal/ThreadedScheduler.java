package org.ndis4j.kernel.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of real threads: every context is a platform thread, the clock is the JVM's
 * monotonic clock, and the clock thread is a one-thread scheduled executor.
 */
public final class ThreadedScheduler implements Scheduler {

    private final ScheduledThreadPoolExecutor clock;

    /** A scheduler whose clock thread is named {@code name + "-clock"} and carries {@code clockState}. */
    public ThreadedScheduler(String name, ContextState clockState) {
        clock = new ScheduledThreadPoolExecutor(1, r -> new KernelThread(name + "-clock", clockState, r));
        clock.setRemoveOnCancelPolicy(true);
        clock.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant wallClock() {
        return Instant.now();
    }

    @Override
    public KernelThread startThread(String name, ContextState state, TaskQueue serves, Runnable body) {
        KernelThread t = new KernelThread(name, state, body);
        t.start();
        return t;
    }

    @Override
    public boolean awaitTermination(List<KernelThread> threads, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (KernelThread t : threads) {
            long left = deadline - System.nanoTime();
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public TaskQueue newTaskQueue(String name, QueueRole role) {
        return new LifoWakeTaskQueue();
    }

    @Override
    public ScheduledTask schedule(long delayNanos, TimeoutKind kind, Runnable action) {
        ScheduledFuture<?> f;
        try {
            f = clock.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            return () -> false; // the machine is shutting down: nothing runs on its clock any more
        }
        return () -> f.cancel(false);
    }

    @Override
    public Waitable newEvent(boolean signaled, String name) {
        return new ThreadedEvent(signaled);
    }

    @Override
    public SeamLock newLock(String name, LockKind kind) {
        return new ThreadedSeamLock();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    @Override
    public void stall(long nanos, Runnable check) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            check.run();
            Thread.onSpinWait();
        }
        check.run();
    }

    @Override
    public void shutdown() {
        clock.shutdownNow();
    }
}
