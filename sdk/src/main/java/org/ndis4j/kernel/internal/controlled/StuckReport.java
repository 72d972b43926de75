package org.ndis4j.kernel.internal.controlled;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * The run took no scheduling step for the stuck time-out of wall time: some context holds the turn
 * and neither reaches a scheduling point nor ends. Names it, what it is doing — blocked on a JVM
 * monitor (and who holds it), waiting outside the scheduler ({@code Future.get}, {@code
 * Thread.sleep}, a {@code java.util.concurrent} lock), or running with no NDIS call — and where.
 */
final class StuckReport {

    private StuckReport() {}

    static String of(World world, long timeoutNanos) {
        Context holder = null;
        for (Context c : world.contexts()) {
            if (c.turn) {
                holder = c;
            }
        }
        StringBuilder sb = new StringBuilder("STUCK: the run made no progress for ")
                .append(timeoutNanos / 1_000_000_000L)
                .append(" s of wall time");
        if (holder == null || holder.thread == null) {
            return sb.append(" and no context holds the turn").toString();
        }
        Thread t = holder.thread;
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId(), 0);
        Thread.State state = info == null ? t.getState() : info.getThreadState();
        sb.append(": ").append(holder.id).append(" holds the turn and ");
        if (state == Thread.State.RUNNABLE) {
            sb.append("runs without reaching a scheduling point (a loop with no NDIS call?)");
        } else if (state == Thread.State.BLOCKED) {
            sb.append("is BLOCKED on the JVM monitor ")
                    .append(info.getLockName())
                    .append(info.getLockOwnerName() == null ? "" : " held by thread '" + info.getLockOwnerName() + "'")
                    .append(" (a monitor held across a scheduling point: -Dndis4j.det.auditLocks=true finds where)");
        } else {
            sb.append("is ")
                    .append(state)
                    .append(" outside the scheduler")
                    .append(info == null || info.getLockName() == null ? "" : " on " + info.getLockName())
                    .append(" (Future.get, Thread.sleep, a java.util.concurrent wait: under deterministic mode"
                            + " wait with the kit's Await or the kernel's waits)");
        }
        sb.append('\n');
        int shown = 0;
        for (StackTraceElement f : t.getStackTrace()) {
            sb.append("    at ").append(frame(f)).append('\n');
            if (++shown == 12) {
                break;
            }
        }
        return sb.toString().stripTrailing();
    }

    /** "pkg.Class.method(File.java:12)": no class loader or module prefix, the same in every JVM. */
    static String frame(StackTraceElement f) {
        return f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }
}
