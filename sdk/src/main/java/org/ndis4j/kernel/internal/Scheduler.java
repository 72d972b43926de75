package org.ndis4j.kernel.internal;

import java.time.Instant;
import java.util.List;

/**
 * The one seam for concurrency and time. Processors, worker queues, timers, events, locks, sleeps,
 * stalls and the clock all go through it, so that the deterministic scheduler (one context runs at a
 * time, virtual time, a seed drives every choice: {@code kernel.internal.controlled}) can replace
 * {@link ThreadedScheduler} without touching the NDIS layer. Nothing else in the sdk creates threads,
 * blocks, spins or reads a clock (the architecture module's banned-API test checks it).
 */
public interface Scheduler {

    /** The kernel clock in nanoseconds; only differences mean anything. */
    long nanoTime();

    /** The time of day, for reports (a crash report's timestamp). */
    Instant wallClock();

    /**
     * Creates and starts a kernel thread carrying the kernel's {@code state} for it. {@code serves} is
     * the queue its body takes from ({@link TaskQueue#take}), or null: a deterministic scheduler
     * starts the thread only when that queue has work for it.
     */
    KernelThread startThread(String name, ContextState state, TaskQueue serves, Runnable body);

    /** Waits until every thread ended or {@code timeoutNanos} passed; true when they all ended. */
    boolean awaitTermination(List<KernelThread> threads, long timeoutNanos) throws InterruptedException;

    /** A FIFO of runnables that threads block on; {@code name} is for reports. */
    TaskQueue newTaskQueue(String name, QueueRole role);

    /** Runs {@code action} on the clock thread after {@code delayNanos}. */
    ScheduledTask schedule(long delayNanos, TimeoutKind kind, Runnable action);

    /** A notification event; {@code name} is for reports. */
    Waitable newEvent(boolean signaled, String name);

    /** A lock of the given kind; {@code name} is for reports. */
    SeamLock newLock(String name, LockKind kind);

    /** Blocks the calling thread for {@code nanos} of kernel time. */
    void sleep(long nanos) throws InterruptedException;

    /**
     * Busy-waits {@code nanos} of kernel time, keeping the caller's IRQL and processor (a stall).
     * {@code check} runs while it waits and ends it by throwing (a crash of the machine).
     */
    void stall(long nanos, Runnable check);

    /**
     * A point where the deterministic scheduler may switch contexts; {@code site} names it (the NDIS
     * function). Free in the threaded scheduler.
     */
    default void switchPoint(String site) {}

    /**
     * A choice among {@code bound} values that is data, not scheduling (which processor takes an
     * interrupt a device raised): seeded under a deterministic scheduler; never asked otherwise.
     */
    default int choose(String what, int bound) {
        return 0;
    }

    /** The machine bug-checked: its waits that end with a crash (spins, stalls) end now. */
    default void machineCrashed(String summary) {}

    /** The machine's number under this scheduler (a deterministic run numbers its machines 1, 2, ...). */
    default int machineTag() {
        return 0;
    }

    /** True for a scheduler that runs one context at a time under its own control. */
    default boolean isControlled() {
        return false;
    }

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

        /**
         * Waits until set or {@code timeoutNanos} pass (negative: forever). True when set. {@code what}
         * names the wait for reports (may be null).
         */
        boolean await(String what, long timeoutNanos, TimeoutKind kind) throws InterruptedException;
    }

    /** A lock whose contenders wait through the seam. Not reentrant. */
    interface SeamLock {
        /** Takes the lock, blocking while another thread holds it. */
        void lock();

        /**
         * Takes a spin lock: the caller keeps its processor while it waits; {@code check} runs while
         * it waits and ends the wait by throwing.
         */
        void spin(Runnable check);

        boolean tryLock();

        void unlock();

        boolean isHeldByCurrentThread();

        boolean isLocked();

        /** True when a thread waits for the lock now. */
        boolean hasWaiters();
    }
}
