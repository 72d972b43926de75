package org.ndis4j.wire;

/**
 * One connection to a {@link VirtualSwitch}'s mirror listener.
 *
 * @param peer           the connected peer ({@code HOST:PORT}, IPv6 in brackets)
 * @param traffic        tx = copies delivered to the peer's socket; drops = copies it missed because
 *                       it read too slowly ({@link DropReason#BACKPRESSURE}); rx = bytes it sent,
 *                       which are discarded
 * @param queuedFrames   copies queued now
 * @param queuedBytes    bytes queued now
 * @param queuePeakBytes the most bytes ever queued
 * @param queueCapacity  the queue's capacity in bytes
 */
public record MirrorStatistics(
        String peer,
        TrafficStatistics traffic,
        long queuedFrames,
        long queuedBytes,
        long queuePeakBytes,
        long queueCapacity) {

    @Override
    public String toString() {
        return String.format(
                "mirror %s: %s, queue %d frames/%d B (peak %d of %d B)",
                peer, traffic, queuedFrames, queuedBytes, queuePeakBytes, queueCapacity);
    }
}
