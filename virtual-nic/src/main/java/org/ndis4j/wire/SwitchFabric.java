package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarding core of the {@link VirtualSwitch}, apart from sockets: port slots, the MAC table,
 * output queues, mirror sessions and the timeout sweep. Every method runs on the switch's one event
 * loop, so nothing here is locked; unit tests and the fuzz target drive it with
 * {@code EmbeddedChannel}s.
 *
 * <p>Output: every frame goes into the bounded {@link OutputQueue} of each port it is forwarded to;
 * after each read buffer every queue it touched is written, and at the end of the read burst flushed
 * once (sooner when a queue passes a quarter of its cap). A full queue drops (tail
 * drop, counted on that port); no input ever waits for another port's queue unless flow control
 * is on ({@link SwitchOptions#flowControl()}), where an input stops reading while a queue it fed is
 * above a quarter of its capacity.
 *
 * <p>Port numbering: ports are slots numbered from 1. A new connection takes the lowest number that
 * has no connection; if that slot is administratively down, the connection is refused
 * ({@link #accepting()} turns false and the switch stops listening), so a peer that reconnects after
 * an admin down stays unplugged until the port is set up again. TCP peers on one host are
 * indistinguishable, so the slot, not the peer, carries the identity. A slot that is up and has no
 * connection is removed (its counters join {@link #departed}), so ten thousand connections that came
 * and went leave nothing behind.
 */
final class SwitchFabric {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchFabric.class);
    private static final RateLimitedLog WARN = new RateLimitedLog(LOG);
    /** The most mirror sessions at once; each costs a copy of every frame. */
    static final int MAX_MIRRORS = 16;

    final SwitchOptions options;
    final MacTable<SwitchPort> macTable;
    /** Set once, before the switch accepts its first connection (loop-confined). */
    PcapWriter capture;
    /** Counters of the port slots that were removed. */
    final TrafficCounters departed = new TrafficCounters();
    /** Connections closed at once because {@link SwitchOptions#maxPorts()} ports were connected. */
    final LongAdder refused = new LongAdder();
    /** Ports closed by the idle timeout. */
    final LongAdder idleClosed = new LongAdder();
    /** The memory all output queues share. */
    final SharedBuffer buffer;

    /** Slots by number - 1 (null: no slot); copied on change, so a loop over it may hold it. */
    private SwitchPort[] ports = new SwitchPort[0];

    private MirrorSession[] mirrors = new MirrorSession[0];
    /** Output queues written in the current read buffer, to write at its end. */
    private final List<OutputQueue> touched = new ArrayList<>();
    /** Output queues written in the current read burst, to flush once at its end. */
    private final List<OutputQueue> unflushed = new ArrayList<>();

    private int connected;
    /** Set when the switch closes: slots stay, so the final counters show every port. */
    private boolean closing;

    private final Runnable onAcceptingChanged;

    SwitchFabric(SwitchOptions options, PcapWriter capture, Runnable onAcceptingChanged) {
        this.options = options;
        this.capture = capture;
        this.buffer = new SharedBuffer(options.bufferBytes());
        this.macTable =
                new MacTable<>(options.macTableCapacity(), options.ageing().toNanos());
        this.onAcceptingChanged = onAcceptingChanged;
    }

    long now() {
        return options.clock().getAsLong();
    }

    /** The slot array (null entries are numbers without a slot). Do not modify. */
    SwitchPort[] ports() {
        return ports;
    }

    MirrorSession[] mirrors() {
        return mirrors;
    }

    int connectedPorts() {
        return connected;
    }

    /** The port numbered {@code number}, or null when there is no such slot. */
    SwitchPort port(int number) {
        return number >= 1 && number <= ports.length ? ports[number - 1] : null;
    }

    /** The number a new connection would take: the lowest without a connection. */
    private int nextFreeNumber() {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == null || ports[i].channel == null) {
                return i + 1;
            }
        }
        return ports.length + 1;
    }

    /** True when a new connection would be let in (the slot it takes is up). */
    boolean accepting() {
        SwitchPort p = port(nextFreeNumber());
        return p == null || p.adminUp;
    }

    /**
     * Plugs a new connection into the lowest free slot. Returns null, with the channel closed, when
     * that slot is down or {@link SwitchOptions#maxPorts()} ports are connected.
     */
    SwitchPort plug(Channel ch) {
        if (connected >= options.maxPorts()) {
            refused.increment();
            WARN.warn(
                    "{}: refused: {} ports are connected, the most allowed (maximum ports {})",
                    ch,
                    connected,
                    options.maxPorts());
            ch.close();
            return null;
        }
        SwitchPort p = slot(nextFreeNumber());
        if (!p.adminUp) {
            LOG.debug("{}: refused, {} is administratively down", ch, p);
            ch.close();
            return null;
        }
        p.channel = ch;
        p.output.attach(ch);
        connected++;
        LOG.debug("{}: plugged into {}", ch, p);
        onAcceptingChanged.run();
        return p;
    }

    /** The connection of {@code p} is gone: forget its addresses, release inputs waiting on it. */
    void unplug(SwitchPort p, Channel ch) {
        if (p.channel != ch) {
            return;
        }
        p.channel = null;
        p.handler = null;
        p.output.detach();
        connected--;
        macTable.forget(p);
        resumeInputs(p.output);
        LOG.debug("{}: unplugged from {}", ch, p);
        if (p.adminUp) {
            removeSlot(p);
        }
        onAcceptingChanged.run();
    }

    /** Administrative up/down; down pulls the cable (closes the connection) and keeps it out. */
    void setAdminUp(int number, boolean up) {
        if (number < 1 || number > SwitchOptions.MAX_PORTS_LIMIT) {
            throw new IllegalArgumentException(
                    "port number " + number + " is outside 1.." + SwitchOptions.MAX_PORTS_LIMIT);
        }
        SwitchPort p = slot(number);
        p.adminUp = up;
        LOG.info("{} administratively {}", p, up ? "up" : "down");
        Channel ch = p.channel;
        if (!up && ch != null) {
            ch.close();
        } else if (up && ch == null) {
            removeSlot(p);
        }
        onAcceptingChanged.run();
    }

    /** The slot numbered {@code number}, creating it if there is none. */
    private SwitchPort slot(int number) {
        SwitchPort p = port(number);
        if (p == null) {
            SwitchPort[] grown = Arrays.copyOf(ports, Math.max(ports.length, number));
            p = new SwitchPort(number, options.queueBytes(), buffer);
            grown[number - 1] = p;
            ports = grown;
        }
        return p;
    }

    /** Removes an empty slot; its counters (and whatever its queue still reports) go to {@link #departed}. */
    private void removeSlot(SwitchPort p) {
        if (closing || port(p.number) != p) {
            return;
        }
        p.output.countInto(departed);
        departed.add(p.counters.snapshot());
        SwitchPort[] copy = ports.clone();
        copy[p.number - 1] = null;
        int length = copy.length;
        while (length > 0 && copy[length - 1] == null) {
            length--;
        }
        ports = length == copy.length ? copy : Arrays.copyOf(copy, length);
    }

    /** The switch is closing: keep every slot from now on, for the final counters. */
    void closing() {
        closing = true;
    }

    /** True once the switch closes its ports itself: a frame cut short then is no peer's error. */
    boolean isClosing() {
        return closing;
    }

    /** A connection to the mirror listener; null (and closed) when {@link #MAX_MIRRORS} are attached. */
    MirrorSession attachMirror(Channel ch) {
        if (mirrors.length >= MAX_MIRRORS) {
            refused.increment();
            WARN.warn("{}: refused: {} mirror sessions are attached, the most allowed", ch, MAX_MIRRORS);
            ch.close();
            return null;
        }
        MirrorSession m = new MirrorSession(ch, options.queueBytes(), buffer);
        MirrorSession[] grown = Arrays.copyOf(mirrors, mirrors.length + 1);
        grown[mirrors.length] = m;
        mirrors = grown;
        LOG.debug("{}: mirror session started", ch);
        return m;
    }

    void detachMirror(MirrorSession m) {
        List<MirrorSession> rest = new ArrayList<>(Arrays.asList(mirrors));
        if (rest.remove(m)) {
            m.output.detach();
            mirrors = rest.toArray(new MirrorSession[0]);
            LOG.debug("{}: mirror session ended", m.channel);
        }
    }

    /** Queues one known-unicast frame (prefix at {@code prefixIndex} of {@code buf}) for {@code out}. */
    void forward(SwitchPort out, ByteBuf buf, int prefixIndex, int frameLength) {
        OutputQueue q = out.output;
        touch(q);
        q.offer(buf, prefixIndex, frameLength, false);
    }

    /** Queues one frame for every forwarding port but {@code in}. */
    void flood(SwitchPort in, ByteBuf buf, int prefixIndex, int frameLength) {
        for (SwitchPort out : ports) {
            if (out != null && out != in && out.canForward()) {
                OutputQueue q = out.output;
                touch(q);
                q.offer(buf, prefixIndex, frameLength, true);
            }
        }
    }

    /** Queues a copy of one forwarded frame for every mirror session. */
    void mirror(ByteBuf buf, int prefixIndex, int frameLength) {
        for (MirrorSession m : mirrors) {
            touch(m.output);
            m.output.offer(buf, prefixIndex, frameLength, false);
        }
    }

    private void touch(OutputQueue q) {
        if (!q.touched) {
            q.touched = true;
            touched.add(q);
        }
    }

    /**
     * A read buffer of {@code in} is done: write every queue it touched (flushed at the end of the
     * burst, or now if the queue passed a quarter of its cap). With flow control, stop reading
     * {@code in} while one of them is above its high water mark (a quarter of its capacity).
     */
    void endBuffer(SwitchPort in) {
        boolean flowControl = options.flowControl();
        for (int i = 0, n = touched.size(); i < n; i++) {
            OutputQueue q = touched.get(i);
            q.touched = false;
            q.writeRun();
            if (q.queuedBytes() > q.capacity() / 4) {
                q.flush(); // do not let a long burst fill a small queue before the socket sees any of it
            }
            if (!q.flushPending) {
                q.flushPending = true;
                unflushed.add(q);
            }
            Channel out = q.channel();
            if (flowControl && q.pausesInputs && out != null && !out.isWritable()) {
                pause(in, q);
            }
        }
        touched.clear();
    }

    /** The read burst of an input is over: flush every output it wrote to, once. */
    void endBurst() {
        for (int i = 0, n = unflushed.size(); i < n; i++) {
            OutputQueue q = unflushed.get(i);
            q.flushPending = false;
            q.flush();
        }
        unflushed.clear();
    }

    private static void pause(SwitchPort in, OutputQueue q) {
        Channel ch = in.channel;
        if (ch != null && ch.config().isAutoRead()) {
            ch.config().setAutoRead(false);
            in.inputPauses.increment();
            q.pausedInputs.add(in);
        }
    }

    /** {@code q} drained below its low water mark (or went away): let its inputs read again. */
    void resumeInputs(OutputQueue q) {
        for (SwitchPort in : q.pausedInputs) {
            Channel ch = in.channel;
            if (ch != null) {
                ch.config().setAutoRead(true);
            }
        }
        q.pausedInputs.clear();
    }

    /** Closes ports whose frame stalled half-way or that stayed idle past their timeouts. */
    void sweep() {
        long now = now();
        long partial = options.partialFrameTimeout().toNanos();
        long idle = options.idleTimeout().toNanos();
        for (SwitchPort p : ports) {
            SwitchPortHandler h = p == null ? null : p.handler;
            if (h != null && h.closeIfTimedOut(now, partial, idle)) {
                idleClosed.increment();
            }
        }
    }

    /** Drops aged MAC entries; the switch calls this periodically so the table stays small. */
    void purgeAged() {
        macTable.purgeAged(now());
    }
}
