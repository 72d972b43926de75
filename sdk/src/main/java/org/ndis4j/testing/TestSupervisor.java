package org.ndis4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.ndis4j.kernel.Kernel;

/**
 * Runs one method of a {@link KernelExtension} test (the test itself, or a {@code @BeforeEach} or
 * {@code @AfterEach} method) on a thread of its own, and watches it from JUnit's thread:
 *
 * <pre>
 *   JUnit thread                         test thread "test-NAME"
 *   ───────────                          ─────────────────────────
 *   start ─────────────────────────────▶ the method (its awaits watch the test's kernels)
 *   wait for one of:
 *     the method returns       ────────▶ its result; a crash nobody expected is still the failure
 *     a kernel bug-checks      ────────▶ BugCheckFailure, primary, at once: the kit's awaits throw
 *                                        it themselves; other waits are interrupted after a grace
 *     the timeout              ────────▶ thread dump, interrupt, close the kernels, TestTimeoutFailure
 * </pre>
 *
 * A test thread that ignores its interrupt (a socket read) is left behind — it is a daemon — so the
 * build goes on.
 */
final class TestSupervisor {

    /** How long a test may take to end by itself after a crash before it is interrupted. */
    static final Duration CRASH_GRACE = Duration.ofMillis(300);
    /** How long an interrupted test thread gets to end before it is left behind. */
    static final Duration STOP_GRACE = Duration.ofMillis(500);
    /** How long closing the kernels after a timeout may take before it is left behind. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    /** Kernels whose close after a timeout did not finish: nobody waits for them again. */
    private static final Set<Kernel> CLOSE_LEFT_BEHIND = ConcurrentHashMap.newKeySet();

    private final String name;
    private final List<Kernel> kernels;
    private final Duration timeout;

    private volatile boolean done;
    private volatile Object result;
    private volatile Throwable thrown;

    /**
     * @param name    the test ("MyTest.linkComesUp"), for the thread name and messages
     * @param kernels the test's kernels (a live list: later parameters join it)
     * @param timeout the limit, or null for none
     */
    TestSupervisor(String name, List<Kernel> kernels, Duration timeout) {
        this.name = name;
        this.kernels = kernels;
        this.timeout = timeout;
    }

    @SuppressWarnings("unchecked")
    <T> T run(Invocation<T> invocation, String threadName) throws Throwable {
        Thread body = new Thread(
                () -> {
                    CrashWatch.enterTest(kernels);
                    try {
                        result = invocation.proceed();
                    } catch (Throwable t) {
                        thrown = t;
                    } finally {
                        CrashWatch.leaveTest();
                        done = true;
                        Changes.signal();
                    }
                },
                threadName);
        body.setDaemon(true);
        Deadline deadline = Deadline.after(timeout);
        body.start();
        for (; ; ) {
            long seen = Changes.version();
            if (done) {
                return (T) finish();
            }
            Kernel crashed = unexpectedCrash();
            if (crashed != null) {
                BugCheckFailure failure = failFast(body, crashed);
                if (failure != null) {
                    throw failure;
                }
                continue;
            }
            long remaining = deadline.remainingNanos();
            if (remaining == 0) {
                throw timedOut(body);
            }
            try {
                Changes.awaitAfter(seen, remaining);
            } catch (InterruptedException e) {
                body.interrupt(); // JUnit's own timeout, or the build being stopped
                throw e;
            }
        }
    }

    /** The body returned: its result, unless a kernel crashed without the test expecting it. */
    private Object finish() throws Throwable {
        Kernel crashed = unexpectedCrash();
        if (crashed != null) {
            CrashWatch.markReported(crashed);
            throw CrashWatch.failure(crashed, crashed.crashReport().orElseThrow(), thrown);
        }
        if (thrown != null) {
            throw thrown;
        }
        return result;
    }

    /**
     * A kernel crashed while the body runs: the crash fails the test now. Returns the failure, or
     * null when the body ended meanwhile ({@link #finish} decides) or the crash turned out expected.
     */
    private BugCheckFailure failFast(Thread body, Kernel crashed) throws InterruptedException {
        // The kit's awaits and every kernel call throw the crash themselves: let the body end so.
        awaitBody(Deadline.after(CRASH_GRACE));
        if (!done) {
            body.interrupt();
            awaitBody(Deadline.after(STOP_GRACE));
        }
        if (done || CrashWatch.isExpected(crashed)) {
            return null;
        }
        CrashWatch.markReported(crashed);
        BugCheckFailure failure =
                CrashWatch.failure(crashed, crashed.crashReport().orElseThrow(), null);
        failure.addSuppressed(new IllegalStateException(
                "the test thread " + body.getName() + " did not stop after the bug check; it is left running"));
        return failure;
    }

    /** The timeout expired: dump, interrupt, close the kernels, fail with the dump. */
    private TestTimeoutFailure timedOut(Thread body) throws InterruptedException {
        String dump = ThreadDump.of(body, kernels);
        body.interrupt();
        List<String> outcome = new ArrayList<>();
        for (Kernel kernel : new ArrayList<>(kernels)) {
            outcome.add(close(kernel));
        }
        awaitBody(Deadline.after(STOP_GRACE));
        outcome.add(
                0,
                done
                        ? "the test thread was interrupted and ended"
                        : "the test thread ignored its interrupt and is left behind (daemon)");
        TestTimeoutFailure failure = new TestTimeoutFailure(name, timeout, String.join("; ", outcome), dump);
        if (done && thrown != null) {
            failure.addSuppressed(thrown);
        }
        return failure;
    }

    /** Closes {@code kernel} on a thread of its own, waiting at most {@link #CLOSE_LIMIT}. */
    private static String close(Kernel kernel) throws InterruptedException {
        AtomicBoolean closed = new AtomicBoolean();
        Thread closer = new Thread(
                () -> {
                    try {
                        kernel.close();
                    } catch (RuntimeException e) {
                        // The kernel's own shutdown failure; afterEach reports crashes and leaks.
                    } finally {
                        closed.set(true);
                        Changes.signal();
                    }
                },
                kernel.name() + "-close");
        closer.setDaemon(true);
        closer.start();
        await(closed::get, Deadline.after(CLOSE_LIMIT));
        if (!closed.get()) {
            CLOSE_LEFT_BEHIND.add(kernel);
            return "kernel " + kernel.name() + " did not close within " + Await.describe(CLOSE_LIMIT)
                    + " (left behind)";
        }
        return "kernel " + kernel.name() + " closed";
    }

    /** True (once) when closing {@code kernel} after a timeout was left behind: do not close it again. */
    static boolean closeLeftBehind(Kernel kernel) {
        return CLOSE_LEFT_BEHIND.remove(kernel);
    }

    private void awaitBody(Deadline deadline) throws InterruptedException {
        await(() -> done, deadline);
    }

    /** Waits until {@code condition} holds (whoever makes it true signals {@link Changes}) or the deadline. */
    private static void await(BooleanSupplier condition, Deadline deadline) throws InterruptedException {
        for (; ; ) {
            long seen = Changes.version();
            if (condition.getAsBoolean()) {
                return;
            }
            long remaining = deadline.remainingNanos();
            if (remaining == 0) {
                return;
            }
            Changes.awaitAfter(seen, remaining);
        }
    }

    /** The first kernel that crashed without the test expecting it (and not reported yet), or null. */
    private Kernel unexpectedCrash() {
        for (Kernel kernel : kernels) {
            if (kernel.isCrashed() && !CrashWatch.isExpected(kernel) && !CrashWatch.isReported(kernel)) {
                return kernel;
            }
        }
        return null;
    }
}
