package org.ndis4j.testing;

import java.time.Duration;
import java.util.function.Supplier;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.Simulation;

/**
 * {@link Await} inside a deterministic run: the condition is looked at again every
 * {@link Await#RECHECK} of virtual time (the test context sleeps on the run's clock meanwhile, so
 * every other context runs), and the time-out is virtual too.
 */
final class DeterministicAwait {

    private DeterministicAwait() {}

    static <T> T value(Simulation run, Kernel kernel, String what, Duration timeout, Supplier<T> probe) {
        long limit = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        long start = run.nanoTime();
        for (; ; ) {
            throwIfCrashed(kernel);
            throwIfCrashed(CurrentThread.kernel());
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (run.nanoTime() - start >= limit) {
                throw new AssertionError(
                        "timed out after " + Await.describe(timeout) + " of virtual time waiting for: " + what);
            }
            run.sleep(Math.min(Await.RECHECK.toNanos(), limit - (run.nanoTime() - start)), what);
        }
    }

    private static void throwIfCrashed(Kernel kernel) {
        if (kernel != null && kernel.isCrashed() && !kernel.isCrashAcknowledged()) {
            throw new BugCheckFailure(kernel, kernel.crashReport().orElseThrow(), null);
        }
    }
}
