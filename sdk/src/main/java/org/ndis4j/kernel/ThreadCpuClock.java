package org.ndis4j.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time a thread has used, for the DPC watchdog of the threaded kernel: a routine is charged
 * the time its thread ran on a CPU, not the wall time it took (docs/kernel.md, "DPC watchdog").
 */
@FunctionalInterface
interface ThreadCpuClock {

    /** Nanoseconds of CPU time {@code thread} has used so far, or -1 when that is not known. */
    long cpuNanos(Thread thread);

    /**
     * The JVM's per-thread CPU clock (ThreadMXBean), or null when this JVM cannot measure it (the
     * watchdog then charges wall time).
     */
    static ThreadCpuClock ofJvm() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return null;
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; this is the same id on 17
        ThreadCpuClock clock = thread -> threads.getThreadCpuTime(thread.getId());
        return clock;
    }
}
