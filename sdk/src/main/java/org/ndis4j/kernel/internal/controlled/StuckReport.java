package org.ndis4j.kernel.internal.controlled;

/**
 * A step of the test context did not come back within the step time-out: some context holds the
 * turn and neither reaches a scheduling point nor ends (it blocks outside the seam, on a
 * {@code Future.get} or a monitor, or loops with no NDIS call). Names it and where it is.
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
        sb.append(": ")
                .append(holder.id)
                .append(" holds the turn and is ")
                .append(holder.thread.getState())
                .append(" outside the scheduler (a wait that does not go through the kernel, or a loop with no"
                        + " NDIS call: under deterministic mode wait with the kit's Await or the kernel's waits)\n");
        int shown = 0;
        for (StackTraceElement f : holder.thread.getStackTrace()) {
            sb.append("    at ").append(f).append('\n');
            if (++shown == 12) {
                break;
            }
        }
        return sb.toString().stripTrailing();
    }
}
