package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarding core of the {@link VirtualSwitch}, apart from sockets: port slots, the MAC table,
 * and the per-burst output bookkeeping (write now, flush each touched port once per input burst,
 * backpressure). Every method runs on the switch's one event loop, so nothing here is locked; unit
 * tests drive it with {@code EmbeddedChannel}s.
 *
 * <p>Port numbering: ports are slots numbered from 1. A new connection takes the lowest-numbered
 * slot that has no connection; if that slot is administratively down, the connection is refused
 * ({@link #accepting()} turns false and the switch stops listening), so a peer that reconnects
 * after an admin down stays unplugged until the port is set up again. TCP peers on one host are
 * indistinguishable, so the slot, not the peer, carries the identity.
 */
final class SwitchFabric {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchFabric.class);

    final SwitchOptions options;
    final MacTable<SwitchPort> macTable;
    final PcapWriter capture;
    private final long hardWriteLimit;
    /** All slots, index = number - 1; replaced, never mutated, so the flood loop can hold it. */
    private SwitchPort[] ports = new SwitchPort[0];
    /** Output ports written in the current input burst, to flush once at its end. */
    private final List<SwitchPort> touched = new ArrayList<>();

    private final Runnable onAcceptingChanged;

    SwitchFabric(SwitchOptions options, PcapWriter capture, Runnable onAcceptingChanged) {
        this.options = options;
        this.capture = capture;
        this.macTable =
                new MacTable<>(options.macTableCapacity(), options.ageing().toNanos());
        this.hardWriteLimit = 4L * options.writeHighWater();
        this.onAcceptingChanged = onAcceptingChanged;
    }

    long now() {
        return options.clock().getAsLong();
    }

    SwitchPort[] ports() {
        return ports;
    }

    /** The slot a new connection would take, or a new one past the last. */
    private SwitchPort nextFree() {
        for (SwitchPort p : ports) {
            if (p.channel == null) {
                return p;
            }
        }
        return null;
    }

    /** True when a new connection would be let in (the slot it takes is up). */
    boolean accepting() {
        SwitchPort p = nextFree();
        return p == null || p.adminUp;
    }

    /** Plugs a new connection into the lowest free slot; null (and the channel closed) if it is down. */
    SwitchPort plug(Channel ch) {
        SwitchPort p = nextFree();
        if (p == null) {
            p = slot(ports.length + 1);
        }
        if (!p.adminUp) {
            LOG.info("{}: refused, {} is administratively down", ch, p);
            ch.close();
            return null;
        }
        p.channel = ch;
        LOG.info("{}: plugged into {}", ch, p);
        onAcceptingChanged.run();
        return p;
    }

    /** The connection of {@code p} is gone: forget its addresses and release inputs waiting on it. */
    void unplug(SwitchPort p, Channel ch) {
        if (p.channel != ch) {
            return;
        }
        p.channel = null;
        macTable.forget(p);
        resumeInputs(p);
        LOG.info("{}: unplugged from {}", ch, p);
        onAcceptingChanged.run();
    }

    /** Administrative up/down; down pulls the cable (closes the connection) and keeps it out. */
    void setAdminUp(int number, boolean up) {
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port number " + number + " is outside 1..65535");
        }
        SwitchPort p = slot(number);
        p.adminUp = up;
        LOG.info("{} administratively {}", p, up ? "up" : "down");
        Channel ch = p.channel;
        if (!up && ch != null) {
            ch.close();
        }
        onAcceptingChanged.run();
    }

    /** The slot numbered {@code number}, creating it and any below it. */
    private SwitchPort slot(int number) {
        if (number > ports.length) {
            SwitchPort[] grown = Arrays.copyOf(ports, number);
            for (int i = ports.length; i < number; i++) {
                grown[i] = new SwitchPort(i + 1);
            }
            ports = grown;
        }
        return ports[number - 1];
    }

    /**
     * Queues a retained slice (one or more whole wire frames, length prefixes included) on
     * {@code out}; it is flushed at the end of the input burst. Dropped and counted when the
     * port's queue is past the hard limit.
     */
    void send(SwitchPort out, ByteBuf wireFrames, long frames, long bytes) {
        Channel ch = out.channel;
        ChannelOutboundBuffer queue = ch == null ? null : ch.unsafe().outboundBuffer();
        if (queue == null || queue.totalPendingWriteBytes() > hardWriteLimit) {
            wireFrames.release();
            out.counters.dropped(ch == null ? DropReason.CARRIER_DOWN : DropReason.BACKPRESSURE, frames);
            return;
        }
        ch.write(wireFrames, ch.voidPromise());
        out.burstFrames += frames;
        out.burstBytes += bytes;
        if (!out.flushPending) {
            out.flushPending = true;
            touched.add(out);
        }
    }

    /**
     * Floods one frame to every forwarding port but the input. A port that is not writable misses
     * it (counted): a broadcast storm must not stall the unicast traffic behind it.
     */
    void flood(SwitchPort in, ByteBuf buf, int prefixIndex, int frameLength) {
        for (SwitchPort out : ports) {
            if (out == in || !out.canForward()) {
                continue;
            }
            if (!out.channel.isWritable()) {
                out.counters.dropped(DropReason.BACKPRESSURE);
                continue;
            }
            send(out, buf.retainedSlice(prefixIndex, FrameSplitter.PREFIX_LENGTH + frameLength), 1, frameLength);
        }
    }

    /**
     * The input burst of {@code in} is over: flush every output it touched, once, and pause
     * {@code in} while any of them is above its high water mark.
     */
    void endBurst(SwitchPort in) {
        for (int i = 0, n = touched.size(); i < n; i++) {
            SwitchPort out = touched.get(i);
            out.flushPending = false;
            out.counters.transmitted(out.burstFrames, out.burstBytes);
            out.burstFrames = 0;
            out.burstBytes = 0;
            Channel ch = out.channel;
            if (ch == null) {
                continue;
            }
            ch.flush();
            if (!ch.isWritable() && in.channel != null && in.channel.config().isAutoRead()) {
                in.channel.config().setAutoRead(false);
                out.pausedInputs.add(in);
            }
        }
        touched.clear();
    }

    /** {@code out} drained below its low water mark (or went away): let its inputs read again. */
    void resumeInputs(SwitchPort out) {
        for (SwitchPort in : out.pausedInputs) {
            Channel ch = in.channel;
            if (ch != null) {
                ch.config().setAutoRead(true);
            }
        }
        out.pausedInputs.clear();
    }

    /** Drops aged MAC entries; the switch calls this periodically so the table stays small. */
    void purgeAged() {
        macTable.purgeAged(now());
    }
}
