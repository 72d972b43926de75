package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * The report of a run where no context can run and no timer may move the clock: every context, its
 * IRQL, and what it waits for — with the frames of its own code (not the kernel's) that reached the
 * wait.
 */
final class DeadlockReport {

    private static final int FRAMES = 4;

    private DeadlockReport() {}

    static String of(World world, Context reporter) {
        StringBuilder sb = new StringBuilder();
        sb.append("DEADLOCK at t=")
                .append(EventLog.seconds(world.now()))
                .append(" s, step ")
                .append(world.steps())
                .append(": no context can run and no timer is pending");
        StringBuilder watchdogs = new StringBuilder();
        for (TimerEntry e : world.timers().pending()) {
            if (e.kind == TimeoutKind.WATCHDOG && e.isLive()) {
                watchdogs
                        .append(watchdogs.length() == 0 ? "" : ", ")
                        .append("t=")
                        .append(EventLog.seconds(e.deadline))
                        .append(" s");
            }
        }
        if (watchdogs.length() > 0) {
            sb.append(" (only watchdogs are pending, at ").append(watchdogs).append(")");
        }
        sb.append('\n');
        for (Context c : world.contexts()) {
            sb.append(String.format("  %-9s", c.id));
            if (c.ended) {
                sb.append("ended\n");
                continue;
            }
            sb.append(irql(c.state.irqlLevel()));
            if (c.state.driver() != null) {
                sb.append(" driver ").append(c.state.driver());
            }
            if (c.blocker == null) {
                sb.append(" runnable, but the IRQL rules keep it off its processor");
            } else if (c.blocker.kind == Blocker.Kind.QUEUE) {
                sb.append(" idle");
                sb.append('\n');
                continue;
            } else {
                sb.append(' ')
                        .append(c.blocker.describe())
                        .append(" since t=")
                        .append(EventLog.seconds(c.blockedSince))
                        .append(" s");
            }
            sb.append('\n');
            frames(sb, c);
        }
        return sb.toString().stripTrailing();
    }

    private static void frames(StringBuilder sb, Context c) {
        if (c.thread == null) {
            return;
        }
        int shown = 0;
        for (StackTraceElement f : c.thread.getStackTrace()) {
            if (!isUserCode(f.getClassName())) {
                continue;
            }
            sb.append("             at ")
                    .append(f.getClassName())
                    .append('.')
                    .append(f.getMethodName())
                    .append('(')
                    .append(f.getFileName())
                    .append(':')
                    .append(f.getLineNumber())
                    .append(")\n");
            if (++shown == FRAMES) {
                break;
            }
        }
    }

    /** Not the JDK's, JUnit's, the kernel's, NDIS's engine or the kit's machinery: the test's and drivers' code. */
    static boolean isUserCode(String cls) {
        if (cls.contains("$$Lambda")
                || cls.startsWith("java.")
                || cls.startsWith("jdk.")
                || cls.startsWith("sun.")
                || cls.startsWith("org.junit.")
                || cls.startsWith("org.ndis4j.kernel.internal.")
                || cls.startsWith("org.ndis4j.ndis.internal.")
                || cls.startsWith("org.ndis4j.testing.Deterministic")) {
            return false;
        }
        int dot = cls.lastIndexOf('.');
        String pkg = dot < 0 ? "" : cls.substring(0, dot);
        boolean engine =
                pkg.equals("org.ndis4j.kernel") || pkg.equals("org.ndis4j.ndis") || pkg.equals("org.ndis4j.host");
        return !engine || cls.endsWith("Test") || cls.contains("Test$");
    }

    private static String irql(int level) {
        return switch (level) {
            case 0 -> "PASSIVE ";
            case 1 -> "APC     ";
            case 2 -> "DISPATCH";
            default -> "IRQL " + level;
        };
    }
}
