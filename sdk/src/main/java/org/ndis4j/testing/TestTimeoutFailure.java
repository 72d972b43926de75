package org.ndis4j.testing;

import java.time.Duration;

/**
 * A test ran longer than its timeout ({@code @KernelOptions(timeout)}, {@code -Dndis4j.test.timeout},
 * 30 s by default). The message says what {@link KernelExtension} did about it (interrupted the test
 * thread, closed the kernels) and carries the thread dump taken at the timeout: every kernel thread
 * and the test thread, with IRQL, what each waits for, and its stack.
 */
public final class TestTimeoutFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final String threadDump;

    TestTimeoutFailure(String test, Duration timeout, String outcome, String threadDump) {
        super(test + " timed out after " + Await.describe(timeout)
                + " (@KernelOptions(timeout), -Dndis4j.test.timeout); " + outcome + "\nThreads at the timeout:\n"
                + threadDump);
        this.timeout = timeout;
        this.threadDump = threadDump;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The thread dump taken when the timeout expired. */
    public String threadDump() {
        return threadDump;
    }
}
