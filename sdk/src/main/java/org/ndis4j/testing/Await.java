package org.ndis4j.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.Simulation;

/**
 * Waits of the test kit: for a real condition, with a deadline, failing fast when the machine
 * stops. No sleep stands in for synchronisation: a wait sleeps on the kit's signal, which the
 * recorders ({@link RecordingProtocol}, the wire peer) raise whenever they record something and
 * every kernel of the test raises when it bug-checks; conditions on state nobody signals (an
 * adapter's state, a device counter) are looked at again every {@link #RECHECK}.
 *
 * <pre>
 *   Await.until("link up", () -&gt; AdapterView.of(adapter).linkState().isConnected());
 *   Frame reply = Await.value("the echo reply", () -&gt; findReply(protocol.received()));
 * </pre>
 *
 * <p>Under {@link KernelExtension} every wait also watches the kernels of the running test: when one
 * bug-checks, the wait throws {@link BugCheckFailure} at once — the crash is the failure, not
 * "timed out waiting for …". A wait can name a kernel to watch as well (tests without the
 * extension). On timeout it throws {@link AssertionError} "timed out after … waiting for: what".
 */
public final class Await {

    /** How long a wait gives its condition when the caller names no timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** How often a condition is looked at again when no signal came. */
    public static final Duration RECHECK = Duration.ofMillis(10);

    private Await() {}

    /** Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds. */
    public static void until(String what, BooleanSupplier condition) {
        until(null, what, DEFAULT_TIMEOUT, condition);
    }

    /** Waits up to {@code timeout} until {@code condition} holds. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(null, what, timeout, condition);
    }

    /** Waits until {@code condition} holds; a crash of {@code kernel} (or of the test's kernels) ends it. */
    public static void until(Kernel kernel, String what, Duration timeout, BooleanSupplier condition) {
        value(kernel, what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT} until {@code probe} returns something; returns it. */
    public static <T> T value(String what, Supplier<T> probe) {
        return value(null, what, DEFAULT_TIMEOUT, probe);
    }

    /**
     * Waits until {@code probe} returns non-null and returns that; a crash of {@code kernel} (may be
     * null) or of the test's kernels ends the wait with {@link BugCheckFailure}.
     */
    public static <T> T value(Kernel kernel, String what, Duration timeout, Supplier<T> probe) {
        Optional<Simulation> run = Simulation.current();
        if (run.isPresent()) {
            return DeterministicAwait.value(run.get(), kernel, what, timeout, probe);
        }
        Deadline deadline = Deadline.after(timeout);
        long recheck = RECHECK.toNanos();
        if (kernel != null) {
            CrashWatch.watch(kernel);
        }
        for (; ; ) {
            long seen = Changes.version();
            CrashWatch.throwIfCrashed(kernel);
            T value = probe.get();
            if (value != null) {
                return value;
            }
            long remaining = deadline.remainingNanos();
            if (remaining == 0) {
                throw new AssertionError("timed out after " + describe(timeout) + " waiting for: " + what);
            }
            try {
                Changes.awaitAfter(seen, Math.min(remaining, recheck));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CrashWatch.throwIfCrashed(kernel);
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code future} is done and returns its value (its
     * failure is thrown as the cause it completed with, unwrapped). Unlike {@code future.get()} it
     * fails fast on a crash and also works inside a deterministic run, where a blocking {@code get}
     * would hold the turn.
     */
    public static <T> T result(String what, CompletableFuture<T> future) {
        until(what, future::isDone);
        try {
            return future.getNow(null); // done: never blocks
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Tells every wait that something it may be waiting for has changed. Recorders call it after they
     * record; a test never needs to. Any thread, any IRQL.
     */
    public static void changed() {
        Changes.signal();
    }

    /** "10 s", "500 ms". */
    static String describe(Duration d) {
        if (d == null) {
            return "no limit";
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
