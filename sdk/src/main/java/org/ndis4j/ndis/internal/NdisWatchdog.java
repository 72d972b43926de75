package org.ndis4j.ndis.internal;

import java.time.Duration;
import java.util.function.Supplier;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.ClockTask;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.kernel.ThreadSnapshot;
import org.ndis4j.kernel.WaitKind;

/**
 * NDIS's watchdog: when NDIS calls out into a driver for an operation it waits for (a halt, a pause,
 * an OID request, a reset, a bind, …), it arms a timer on the kernel clock; if the operation has not
 * finished when the timer expires, NDIS stops the machine with BUGCODE_NDIS_DRIVER (0x7C):
 *
 * <pre>
 *   parameter 1  0x25 NDIS_BUGCHECK_WATCHDOG
 *   parameter 2  the operation ({@link WatchedOperation}: 0x22 miniport halt, 0x21 pause, 0x23 OID, …)
 *   parameter 3  the time-out in milliseconds (Windows: a pointer to its NDIS_WATCHDOG_TRIAGE_BLOCK,
 *                whose TimeoutMilliseconds this is)
 *   parameter 4  the OID for 0x23, 0 otherwise (as Windows)
 * </pre>
 *
 * The report names the operation, the adapter or module, the driver, and shows the stack of the
 * thread NDIS started the operation on (Windows' PrimaryThread) — a driver stuck in MiniportHaltEx is
 * right there. That thread's waits end with the crash, and it is interrupted if it is a kernel thread.
 *
 * <p>The watchdog waits for nothing itself: each watch is a clock task ({@link WaitKind#WATCHDOG}),
 * cancelled when the operation finishes. The time-out is {@code KernelConfig.ndisWatchdog()}.
 */
final class NdisWatchdog {

    /** NDIS_BUGCHECK_WATCHDOG: bug check 0x7C parameter 1. */
    static final int NDIS_BUGCHECK_WATCHDOG = 0x25;

    private final Kernel kernel;
    private final long timeoutNanos;

    private NdisWatchdog(Kernel kernel) {
        this.kernel = kernel;
        Duration timeout = kernel.config().ndisWatchdog();
        this.timeoutNanos = timeout.toNanos();
    }

    static NdisWatchdog of(Kernel kernel) {
        return kernel.extension(NdisWatchdog.class, NdisWatchdog::new);
    }

    /**
     * Runs {@code body}, an operation NDIS runs for {@code target} (an adapter, a filter module, a
     * binding, a driver) on the calling thread, under the watchdog; returns what it returns.
     */
    <T> T call(WatchedOperation operation, String target, String driver, long parameter4, Supplier<T> body) {
        Watch watch = start(operation, target, driver, parameter4);
        try {
            return body.get();
        } finally {
            watch.stop();
        }
    }

    /** The same for a body that returns nothing. */
    void run(WatchedOperation operation, String target, String driver, long parameter4, Runnable body) {
        Watch watch = start(operation, target, driver, parameter4);
        try {
            body.run();
        } finally {
            watch.stop();
        }
    }

    /**
     * Starts timing {@code operation}, which NDIS runs for {@code target} (an adapter, a filter
     * module, a binding, a driver) on the calling thread. Stop the watch when it finishes (any thread
     * may: an OID completes elsewhere).
     */
    Watch start(WatchedOperation operation, String target, String driver, long parameter4) {
        Watch watch = new Watch(operation, target, driver, parameter4, Thread.currentThread(), kernel.nanoTime());
        watch.arm(kernel.schedule(timeoutNanos, WaitKind.WATCHDOG, watch::expired));
        return watch;
    }

    /** One timed operation. */
    final class Watch {
        private final WatchedOperation operation;
        private final String target;
        private final String driver;
        private final long parameter4;
        private final Thread primaryThread;
        private final long startNanos;
        /** Guarded by this. */
        private ClockTask timer;

        private boolean finished;

        private Watch(
                WatchedOperation operation,
                String target,
                String driver,
                long parameter4,
                Thread primaryThread,
                long startNanos) {
            this.operation = operation;
            this.target = target;
            this.driver = driver;
            this.parameter4 = parameter4;
            this.primaryThread = primaryThread;
            this.startNanos = startNanos;
        }

        private synchronized void arm(ClockTask task) {
            if (finished) {
                task.cancel();
            } else {
                timer = task;
            }
        }

        /** The operation finished: the watchdog forgets it. Idempotent, any thread. */
        void stop() {
            ClockTask task;
            synchronized (this) {
                finished = true;
                task = timer;
                timer = null;
            }
            if (task != null) {
                task.cancel();
            }
        }

        /** On the clock: the time-out passed and the operation has not finished. */
        private void expired() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            if (kernel.isCrashed() || kernel.isClosed()) {
                return;
            }
            long timeoutMillis = timeoutNanos / 1_000_000;
            long ranMillis = (kernel.nanoTime() - startNanos) / 1_000_000;
            String message = "NDIS watchdog (" + operation.symbol() + "): " + operation.handler() + " of " + target
                    + " has not finished after " + ranMillis + " ms (time-out " + timeoutMillis
                    + " ms, KernelConfig.ndisWatchdog); NDIS started it on thread " + primaryThread.getName()
                    + ", whose stack follows";
            kernel.bugCheckFor(
                    primaryThread,
                    driver,
                    BugCheckCode.BUGCODE_NDIS_DRIVER,
                    NDIS_BUGCHECK_WATCHDOG,
                    operation.code(),
                    timeoutMillis,
                    parameter4,
                    null,
                    message);
            if (ThreadSnapshot.of(primaryThread).kind() != ThreadKind.EXTERNAL) {
                primaryThread.interrupt(); // a wait outside the kernel's own (a driver's Java lock) ends too
            }
        }
    }
}
