package org.ndis4j.testing;

import io.netty.util.LeakPresenceDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/**
 * Makes a leaked Netty buffer fail the test. The test JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=io.netty.util.LeakPresenceDetector} (parent pom,
 * {@code test.argLine}): every pooled ByteBuf is counted while it lives, and
 * {@link LeakPresenceDetector#check()} throws while any is unreleased. {@link KernelExtension}
 * calls {@link #checkAfterTest()} once the test's kernels are closed (every thread that could still
 * release a buffer has stopped).
 *
 * <p>The count is per JVM and each check resets it (Netty's {@code sumThenReset}): a test is blamed
 * only for buffers allocated and not released since the previous check, and a buffer released after
 * it was reported shows up as a negative count in the next check. Without the detector (a run
 * outside Maven) the check is off and says so once.
 */
public final class NettyLeakCheck {

    private static volatile Boolean active;

    private NettyLeakCheck() {}

    /** True when Netty's leak presence detector is the one in use. */
    public static boolean isActive() {
        Boolean a = active;
        if (a == null) {
            a = ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Object.class)
                    instanceof LeakPresenceDetector;
            active = a;
            if (!a) {
                System.err.println(
                        "ndis4j: Netty's LeakPresenceDetector is not in use; leaked ByteBufs will not "
                                + "fail tests (run with -Dio.netty.customResourceLeakDetector=io.netty.util.LeakPresenceDetector)");
            }
        }
        return a;
    }

    /**
     * Throws {@link AssertionError} when a tracked ByteBuf was allocated and not released since the
     * last check (no-op when inactive). Resets the count.
     */
    public static void assertNoLeakedBuffers() {
        if (!isActive()) {
            return;
        }
        try {
            LeakPresenceDetector.check();
        } catch (IllegalStateException e) {
            throw new AssertionError("leaked Netty buffer(s), a ByteBuf was not released: " + e.getMessage(), e);
        }
    }

    /** The failure to report after a test, or null. */
    static String checkAfterTest() {
        try {
            assertNoLeakedBuffers();
            return null;
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }
}
