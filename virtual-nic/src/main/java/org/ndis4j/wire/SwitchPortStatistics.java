package org.ndis4j.wire;

/**
 * One port of a {@link VirtualSwitch} as seen from outside.
 *
 * @param number    the port number (1-based slot; see {@link VirtualSwitch} for how it is kept)
 * @param adminUp   false after {@code setAdminUp(number, false)}: no connection is let in
 * @param peer      the connected peer's address, or null when nothing is connected
 * @param traffic   the port's counters; rx = from the peer into the switch, tx = to the peer
 */
public record SwitchPortStatistics(int number, boolean adminUp, String peer, TrafficStatistics traffic) {

    public boolean connected() {
        return peer != null;
    }

    @Override
    public String toString() {
        return String.format(
                "port %d %s %s: %s", number, adminUp ? "up" : "admin-down", peer == null ? "(no peer)" : peer, traffic);
    }
}
