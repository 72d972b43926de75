package org.ndis4j.wire;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A port of the switch: a numbered slot, the connection plugged in now (if any), its counters and
 * its output queue. A slot lives while a connection is plugged in or while it is administratively
 * down; the fabric removes it otherwise. Confined to the switch's event loop except the volatile
 * fields and the counters, which statistics read.
 */
final class SwitchPort {

    final int number;
    final TrafficCounters counters = new TrafficCounters();
    final OutputQueue output;
    volatile boolean adminUp = true;
    volatile Channel channel;
    /** The handler reading the connection, for the timeout sweep. */
    SwitchPortHandler handler;
    /** Times the switch stopped reading this port because an output was full (flow control only). */
    final LongAdder inputPauses = new LongAdder();

    SwitchPort(int number, long queueCapacity, SharedBuffer shared) {
        this.number = number;
        this.output = new OutputQueue(counters, queueCapacity, shared, true, () -> !adminUp);
    }

    boolean canForward() {
        return channel != null && adminUp;
    }

    SwitchPortStatistics statistics() {
        Channel ch = channel;
        return new SwitchPortStatistics(
                number,
                adminUp,
                ch == null ? null : Transports.format(ch.remoteAddress()),
                counters.snapshot(),
                output.queuedFrames(),
                output.queuedBytes(),
                output.peakBytes(),
                output.capacity(),
                inputPauses.sum());
    }

    @Override
    public String toString() {
        return "port " + number;
    }
}
