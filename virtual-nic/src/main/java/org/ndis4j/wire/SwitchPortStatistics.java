package org.ndis4j.wire;

/**
 * One port of a {@link VirtualSwitch} as seen from outside.
 *
 * @param number        the port number (1-based slot; see {@link VirtualSwitch} for how it is kept)
 * @param adminUp       false after {@code setAdminUp(number, false)}: no connection is let in
 * @param peer          the connected peer's address ({@code HOST:PORT}, IPv6 in brackets), or null
 * @param traffic       the port's counters; rx = from the peer into the switch, tx = delivered to
 *                      the peer's socket; drops by cause; broken streams by error
 * @param queuedFrames  frames in the output queue now (gauge)
 * @param queuedBytes   bytes in the output queue now, as counted against its capacity (gauge)
 * @param queuePeakBytes the most bytes the output queue ever held (never above its capacity)
 * @param queueCapacity the output queue's capacity in bytes
 * @param inputPauses   times the switch stopped reading this port because an output it feeds was
 *                      full; always 0 unless flow control is on
 */
public record SwitchPortStatistics(
        int number,
        boolean adminUp,
        String peer,
        TrafficStatistics traffic,
        long queuedFrames,
        long queuedBytes,
        long queuePeakBytes,
        long queueCapacity,
        long inputPauses) {

    public boolean connected() {
        return peer != null;
    }

    @Override
    public String toString() {
        return String.format(
                "port %d %s %s: %s, queue %d frames/%d B (peak %d of %d B)%s",
                number,
                adminUp ? "up" : "admin-down",
                peer == null ? "(no peer)" : peer,
                traffic,
                queuedFrames,
                queuedBytes,
                queuePeakBytes,
                queueCapacity,
                inputPauses == 0 ? "" : ", input paused " + inputPauses + " times");
    }
}
