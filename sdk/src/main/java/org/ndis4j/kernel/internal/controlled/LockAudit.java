package org.ndis4j.kernel.internal.controlled;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The lock audit ({@code -Dndis4j.det.auditLocks=true}): at every scheduling point, the context that
 * reaches it must hold no JVM monitor and no {@code java.util.concurrent} lock. One held across a
 * point is a hang waiting for a schedule: the context is switched out with it, and the next context
 * that needs it blocks the whole run outside the scheduler. The audit names the point, the lock and
 * where it was taken, the first time it happens, instead. Costs a thread dump of one thread per step.
 */
final class LockAudit {

    static final String PROPERTY = "ndis4j.det.auditLocks";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private LockAudit() {}

    /** The audit when the system property asks for it, else null. */
    static LockAudit ifEnabled() {
        return Boolean.getBoolean(PROPERTY) ? new LockAudit() : null;
    }

    /**
     * Null when the calling context holds no lock at {@code site}; else what it holds, as a failure
     * (class names and frames only: the text enters the event log, which must not vary by JVM).
     */
    String check(String id, String site) {
        ThreadInfo info =
                threads.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, true)[0];
        if (info == null) {
            return null;
        }
        MonitorInfo[] monitors = info.getLockedMonitors();
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        if (monitors.length == 0 && synchronizers.length == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder("LOCK AUDIT: ")
                .append(id)
                .append(" reached the scheduling point ")
                .append(site)
                .append(" holding ");
        if (monitors.length > 0) {
            MonitorInfo m = monitors[0];
            sb.append("the JVM monitor of a ")
                    .append(m.getClassName())
                    .append(" (synchronized at ")
                    .append(StuckReport.frame(m.getLockedStackFrame()))
                    .append(")");
        } else {
            sb.append("a ").append(synchronizers[0].getClassName());
        }
        sb.append(": switched out here, it keeps the lock, and the next context that needs it blocks the"
                + " whole run; release it before the NDIS call, or use an NDIS spin lock");
        return sb.toString();
    }
}
