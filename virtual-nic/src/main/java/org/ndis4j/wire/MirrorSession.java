package org.ndis4j.wire;

import io.netty.channel.Channel;

/**
 * One connection to the mirror listener: it receives a copy of every frame the switch forwards
 * (SPAN) through a bounded queue of its own, and never makes the switch wait: when it reads too
 * slowly, copies are tail-dropped and counted here.
 */
final class MirrorSession {

    final Channel channel;
    final TrafficCounters counters = new TrafficCounters();
    final OutputQueue output;

    MirrorSession(Channel channel, long queueCapacity, SharedBuffer shared) {
        this.channel = channel;
        this.output = new OutputQueue(counters, queueCapacity, shared, false, () -> false);
        output.attach(channel);
    }

    MirrorStatistics statistics() {
        return new MirrorStatistics(
                Transports.format(channel.remoteAddress()),
                counters.snapshot(),
                output.queuedFrames(),
                output.queuedBytes(),
                output.peakBytes(),
                output.capacity());
    }
}
