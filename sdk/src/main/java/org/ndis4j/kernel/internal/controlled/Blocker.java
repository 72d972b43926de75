package org.ndis4j.kernel.internal.controlled;

import java.util.List;
import org.ndis4j.kernel.internal.TimeoutKind;

/** What a blocked context waits for, with its deadline on the virtual clock; printable for reports. */
final class Blocker {

    enum Kind {
        /** A task in the queue it serves (an idle processor, worker, clock or hardware). */
        QUEUE,
        /** A kernel event. */
        EVENT,
        /** A lock another context holds (a spinner keeps its processor). */
        LOCK,
        /** A sleep (NdisMSleep). */
        SLEEP,
        /** A stall (NdisStallExecution): busy, keeping its IRQL and processor. */
        STALL,
        /** Other contexts to end (a kernel closing). */
        JOIN
    }

    final Kind kind;
    /** The queue, event, lock or list of contexts; null for a sleep or a stall. */
    final Object target;
    /** What the code waits for, in its own words (may be null). */
    final String what;
    /** Virtual nanoseconds, or {@link Long#MAX_VALUE} for no deadline. */
    final long deadline;

    final TimeoutKind deadlineKind;

    Blocker(Kind kind, Object target, String what, long deadline, TimeoutKind deadlineKind) {
        this.kind = kind;
        this.target = target;
        this.what = what;
        this.deadline = deadline;
        this.deadlineKind = deadlineKind;
    }

    boolean hasDeadline() {
        return deadline != Long.MAX_VALUE;
    }

    /** The step's site in the event log: what the context does when it blocks. */
    String site() {
        return switch (kind) {
            case QUEUE -> "idle";
            case EVENT -> "wait " + ((ControlledEvent) target).id() + (what != null ? " '" + what + "'" : "");
            case LOCK -> "acquire " + ((ControlledLock) target).id();
            case SLEEP -> what != null ? "poll '" + what + "'" : "sleep";
            case STALL -> "stall";
            case JOIN -> "join";
        };
    }

    /** For a report: "waits on EV#3 'PnP load' (forever)", "idle: cpu0 has nothing for it", ... */
    String describe() {
        String until = hasDeadline()
                ? " until t=" + EventLog.seconds(deadline) + " s"
                        + (deadlineKind == TimeoutKind.WATCHDOG ? " (a watchdog's time-out)" : "")
                : " (forever)";
        return switch (kind) {
            case QUEUE -> "idle";
            case EVENT -> {
                ControlledEvent e = (ControlledEvent) target;
                yield "waits" + (what != null ? " for " + what : "") + " on " + e.describe() + until;
            }
            case LOCK -> {
                ControlledLock l = (ControlledLock) target;
                yield "waits for " + l.describe() + (l.owner() == null ? "" : ", held by " + l.owner().id);
            }
            case SLEEP -> (what != null ? "polls for " + what : "sleeps") + until;
            case STALL -> "stalls" + until;
            case JOIN -> "waits for " + joined() + " to end" + until;
        };
    }

    @SuppressWarnings("unchecked")
    private String joined() {
        StringBuilder sb = new StringBuilder();
        for (Context c : (List<Context>) target) {
            if (!c.ended) {
                sb.append(sb.length() == 0 ? "" : ", ").append(c.id);
            }
        }
        return sb.toString();
    }
}
