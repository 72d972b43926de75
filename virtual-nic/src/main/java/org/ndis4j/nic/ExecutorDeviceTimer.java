package org.ndis4j.nic;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DeviceTimer} in real time: {@link System#nanoTime()} and one daemon timer thread, the
 * device's own (hardware threads never run driver code).
 */
public final class ExecutorDeviceTimer implements DeviceTimer {

    private final ScheduledThreadPoolExecutor executor;

    /** A timer whose thread is named {@code <deviceName>-timer}. */
    public ExecutorDeviceTimer(String deviceName) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, deviceName + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        try {
            executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the device is closed: a timer that never fires is what a powered-off device does
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
