package org.ndis4j.wire;

import java.util.List;

/**
 * A {@link VirtualSwitch} as seen from outside.
 *
 * @param listen             the address ports connect to ({@code HOST:PORT}, IPv6 in brackets)
 * @param ports              every port slot: connected, or administratively down
 * @param connectedPorts     how many ports have a connection now
 * @param departed           the counters of ports that disconnected and whose slots were removed
 * @param refusedConnections connections closed at once: the maximum number of ports (or of mirror
 *                           sessions) was reached
 * @param idleClosed         ports closed by the idle timeout
 * @param bufferedBytes      bytes queued now in all output queues together (gauge)
 * @param bufferCapacity     the shared buffer's capacity in bytes
 * @param mirrors            the mirror sessions connected now
 * @param capture            the packet capture, or null without one
 */
public record SwitchStatistics(
        String listen,
        List<SwitchPortStatistics> ports,
        int connectedPorts,
        TrafficStatistics departed,
        long refusedConnections,
        long idleClosed,
        long bufferedBytes,
        long bufferCapacity,
        List<MirrorStatistics> mirrors,
        CaptureStatistics capture) {

    /** Only the ports with a connection (the periodic statistics show these). */
    public List<SwitchPortStatistics> livePorts() {
        return ports.stream().filter(SwitchPortStatistics::connected).toList();
    }

    /** The port numbered {@code number}, or null. */
    public SwitchPortStatistics port(int number) {
        return ports.stream().filter(p -> p.number() == number).findFirst().orElse(null);
    }

    SwitchStatistics withCapture(CaptureStatistics value) {
        return new SwitchStatistics(
                listen,
                ports,
                connectedPorts,
                departed,
                refusedConnections,
                idleClosed,
                bufferedBytes,
                bufferCapacity,
                mirrors,
                value);
    }
}
