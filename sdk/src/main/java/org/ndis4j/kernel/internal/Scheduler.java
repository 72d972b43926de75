package org.ndis4j.kernel.internal;

/**
 * The one seam for concurrency and time. Processors, worker queues, timers, events, sleeps and the
 * clock all go through it, so that a deterministic scheduler (one context runs at a time, virtual
 * time, a seed drives every choice) can replace {@link ThreadedScheduler} without touching the NDIS
 * layer. Nothing driver-visible creates threads, sleeps or reads the wall clock any other way.
 */
public interface Scheduler {

    /** The kernel clock in nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Creates and starts a kernel thread carrying the kernel's {@code context} for it. */
    KernelThread startThread(String name, Object context, Runnable body);

    /** A FIFO of runnables that threads block on. */
    TaskQueue newTaskQueue();

    /** Runs {@code action} on the clock thread after {@code delayNanos}. */
    ScheduledTask schedule(long delayNanos, Runnable action);

    /** A manual- or auto-reset event. */
    Waitable newEvent(boolean signaled);

    /** Blocks the calling thread for {@code nanos} of kernel time. */
    void sleep(long nanos) throws InterruptedException;

    /**
     * A point where the deterministic scheduler may switch contexts (every NDIS call that
     * synchronises passes one). Free in the threaded scheduler.
     */
    default void switchPoint() {}

    /** Stops the clock thread; kernel threads are stopped by their owners. */
    void shutdown();

    /** A task on the clock. */
    interface ScheduledTask {
        /** True when the task was cancelled before it ran. */
        boolean cancel();
    }

    /** A kernel event. */
    interface Waitable {
        void set();

        void reset();

        boolean isSet();

        /** Waits until set or {@code timeoutNanos} pass (negative: forever). True when set. */
        boolean await(long timeoutNanos) throws InterruptedException;
    }
}
