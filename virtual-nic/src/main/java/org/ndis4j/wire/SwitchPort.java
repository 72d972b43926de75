package org.ndis4j.wire;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * A port of the switch: a slot with a number that outlives connections, the connection plugged in
 * now (if any), its counters, and its share of the current burst. Confined to the switch's event
 * loop except for the volatile fields, which statistics read.
 */
final class SwitchPort {

    final int number;
    final TrafficCounters counters = new TrafficCounters();
    volatile boolean adminUp = true;
    volatile Channel channel;
    /** This burst: frames written to this port and not yet flushed. */
    boolean flushPending;

    long burstFrames;
    long burstBytes;
    /** Input ports that stopped reading until this port drains (unicast backpressure). */
    final List<SwitchPort> pausedInputs = new ArrayList<>(2);

    SwitchPort(int number) {
        this.number = number;
    }

    boolean canForward() {
        return channel != null && adminUp;
    }

    SwitchPortStatistics statistics() {
        Channel ch = channel;
        return new SwitchPortStatistics(
                number, adminUp, ch == null ? null : String.valueOf(ch.remoteAddress()), counters.snapshot());
    }

    @Override
    public String toString() {
        return "port " + number;
    }
}
