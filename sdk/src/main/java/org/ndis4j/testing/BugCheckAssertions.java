package org.ndis4j.testing;

import java.time.Duration;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.verifier.Rule;

/** Assertions for tests that prove the verifier catches a broken rule. */
public final class BugCheckAssertions {

    /** How long a bug check raised on another thread (a DPC, a worker) may take to arrive. */
    public static final Duration ASYNC_TIMEOUT = Duration.ofSeconds(10);

    /** Code that may throw anything, including the bug check. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private BugCheckAssertions() {}

    /**
     * Runs {@code action} and asserts that the machine bug-checks with 0xC4 and {@code rule} — thrown
     * into the action or raised on another thread within {@link #ASYNC_TIMEOUT}. The crash is then
     * expected: {@link KernelExtension} does not fail the test for it. Returns the report.
     */
    public static CrashReport assertViolation(Kernel kernel, Rule rule, Action action) {
        CrashReport report = assertBugCheck(kernel, BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, action);
        if (!rule.name().equals(report.rule()) || report.parameters().get(0) != rule.id()) {
            throw new AssertionError("expected rule " + rule + " but the machine stopped with:\n" + report.toText());
        }
        return report;
    }

    /**
     * Runs {@code action} and asserts that the machine bug-checks with {@code code}. While it runs,
     * a crash of {@code kernel} is what the test asks for: {@link KernelExtension} does not fail the
     * test for it, and the kit's waits inside the action end with it.
     */
    public static CrashReport assertBugCheck(Kernel kernel, BugCheckCode code, Action action) {
        CrashWatch.watch(kernel);
        CrashWatch.expectCrash(kernel);
        try {
            return expectBugCheck(kernel, code, action);
        } finally {
            CrashWatch.endExpectation(kernel);
        }
    }

    private static CrashReport expectBugCheck(Kernel kernel, BugCheckCode code, Action action) {
        try {
            action.run();
        } catch (BugCheckException | BugCheckFailure expected) {
            // The usual way: thrown into the code that broke the rule, or by a wait of the kit.
        } catch (Exception e) {
            if (!kernel.isCrashed()) {
                throw new AssertionError("expected bug check " + code + " but the action threw " + e, e);
            }
        }
        CrashReport report;
        try {
            report = kernel.awaitCrash(ASYNC_TIMEOUT)
                    .orElseThrow(() -> new AssertionError(
                            "expected bug check " + code + " but the machine did not stop within " + ASYNC_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + code, e);
        }
        if (report.code() != code) {
            throw new AssertionError(
                    "expected bug check " + code + " but the machine stopped with:\n" + report.toText());
        }
        kernel.acknowledgeCrash();
        return report;
    }
}
