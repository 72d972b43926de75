package org.ndis4j.nic;

/**
 * The device's sense of time: a clock and one-shot timers. Interrupt moderation and PHY management
 * timing go through it, never through {@code Thread.sleep} or {@code System.nanoTime} directly, so a
 * test (or the kernel's deterministic scheduler) can drive the device in virtual time.
 *
 * <p>Implementations: {@link ExecutorDeviceTimer} (real time, one timer thread owned by the device)
 * and {@link ManualDeviceTimer} (virtual time advanced by the caller).
 */
public interface DeviceTimer extends AutoCloseable {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delayNanos} from now, on the timer's thread. The task must not
     * block. After {@link #close()} tasks are silently dropped.
     */
    void schedule(Runnable task, long delayNanos);

    /** Stops the timer; pending tasks never run. */
    @Override
    void close();
}
