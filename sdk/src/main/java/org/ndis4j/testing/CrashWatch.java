package org.ndis4j.testing;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;

/**
 * Which kernels the running test depends on, which of their crashes it expects, and which were
 * already reported: what lets a bug check on any thread end the test's waits at once.
 *
 * <p>{@link KernelExtension} runs each test body on a thread of its own and gives that thread (and
 * every thread it starts) the list of the test's kernels; the kit's awaits look at those kernels
 * and at any kernel they are given. A crash signals {@link Changes}, so waiters wake.
 */
final class CrashWatch {

    private static final InheritableThreadLocal<List<Kernel>> TEST_KERNELS = new InheritableThreadLocal<>();
    /** Kernels whose crash signals the waits already (weak: a closed kernel may go). */
    private static final Set<Kernel> WATCHED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** Kernels inside {@link BugCheckAssertions}: a crash there is what the test asks for. */
    private static final Set<Kernel> EXPECTING = ConcurrentHashMap.newKeySet();
    /** Kernels whose crash a test already failed with, so that it is not reported twice. */
    private static final Set<Kernel> REPORTED = ConcurrentHashMap.newKeySet();

    private CrashWatch() {}

    /** From now on a crash of {@code kernel} wakes every wait of the kit. Once per kernel. */
    static void watch(Kernel kernel) {
        if (WATCHED.add(kernel)) {
            kernel.onCrash(report -> Changes.signal());
        }
    }

    /** The calling thread (and the threads it starts) runs a test that uses {@code kernels}. */
    static void enterTest(List<Kernel> kernels) {
        TEST_KERNELS.set(kernels);
    }

    static void leaveTest() {
        TEST_KERNELS.remove();
    }

    /** The kernels of the test the calling thread works for; empty outside {@link KernelExtension}. */
    static List<Kernel> testKernels() {
        List<Kernel> kernels = TEST_KERNELS.get();
        return kernels == null ? List.of() : kernels;
    }

    static void expectCrash(Kernel kernel) {
        EXPECTING.add(kernel);
    }

    static void endExpectation(Kernel kernel) {
        EXPECTING.remove(kernel);
    }

    /** True when a crash of {@code kernel} is not the test's failure: expected, or acknowledged. */
    static boolean isExpected(Kernel kernel) {
        return EXPECTING.contains(kernel) || kernel.isCrashAcknowledged();
    }

    /** Marks {@code kernel}'s crash as reported; false when it already was. */
    static boolean markReported(Kernel kernel) {
        return REPORTED.add(kernel);
    }

    static boolean isReported(Kernel kernel) {
        return REPORTED.contains(kernel);
    }

    /** Forgets a kernel once its test is over. */
    static void forget(Kernel kernel) {
        EXPECTING.remove(kernel);
        REPORTED.remove(kernel);
    }

    /**
     * Throws {@link BugCheckFailure} when {@code kernel} (may be null) or a kernel of the calling
     * thread's test has crashed: a wait of the kit then has nothing left to wait for. A crash the
     * test already acknowledged ({@link BugCheckAssertions}) stops only the waits on that kernel.
     */
    static void throwIfCrashed(Kernel kernel) {
        if (kernel != null) {
            throwIfCrashed(kernel, kernel.crashReport().orElse(null));
        }
        for (Kernel k : testKernels()) {
            if (!k.isCrashAcknowledged()) {
                throwIfCrashed(k, k.crashReport().orElse(null));
            }
        }
    }

    private static void throwIfCrashed(Kernel kernel, CrashReport report) {
        if (report != null) {
            throw new BugCheckFailure(kernel, report, null);
        }
    }

    /** The failure for {@code kernel}'s crash, keeping {@code thrown} as the cause when it is that crash. */
    static BugCheckFailure failure(Kernel kernel, CrashReport report, Throwable thrown) {
        if (thrown instanceof BugCheckFailure f && f.report() == report) {
            return f;
        }
        BugCheckException original = thrown instanceof BugCheckException b && b.report() == report ? b : null;
        BugCheckFailure failure = new BugCheckFailure(kernel, report, original);
        if (thrown != null && original == null) {
            failure.addSuppressed(thrown);
        }
        return failure;
    }
}
