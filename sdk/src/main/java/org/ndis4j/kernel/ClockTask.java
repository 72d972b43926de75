package org.ndis4j.kernel;

/** An action waiting on the kernel clock ({@link Kernel#schedule}): a timer's next expiry. */
@FunctionalInterface
public interface ClockTask {

    /** True when the action was cancelled before it ran. */
    boolean cancel();
}
