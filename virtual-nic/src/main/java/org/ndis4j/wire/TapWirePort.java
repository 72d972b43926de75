package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WirePort} whose other end is the Linux kernel: a TAP device ({@link TapChannel}). What the
 * device sends appears on the interface as received from the wire; what Linux sends out of the
 * interface reaches the device. Carrier is up from open to close (a TAP has no cable to pull).
 *
 * <pre>
 *   device ─send/flush─▶ TapWirePort ─write(2)─▶ tapN ─▶ Linux stack (ARP, ICMP, ping, tcpdump)
 *   device ◀─frameReceived── TapWirePort ◀─read(2)── tapN ◀─ Linux stack
 * </pre>
 *
 * <p>Threads: the channel lives on one epoll event loop, where the listener is called. {@link #send}
 * and {@link #flush} may be called from any thread; frames from other threads wait in a queue
 * bounded by {@link #MAX_PENDING_BYTES} (beyond it they are dropped as
 * {@link DropReason#BACKPRESSURE}) and are written by one task per flush.
 */
public final class TapWirePort implements WirePort {

    private static final Logger LOG = LoggerFactory.getLogger(TapWirePort.class);

    /** Frames sent from other threads and not yet written, at most: memory stays bounded. */
    static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final TapChannel channel;
    private final TrafficCounters counters;
    /** Frames sent from other threads, not yet written. */
    private final PendingFrames pending;

    private volatile WireListener listener;
    private volatile boolean closed;
    /** Loop-confined: the carrier state the listener was last told. */
    private boolean carrierReported;

    private TapWirePort(EventLoopGroup group, boolean ownsGroup, TapChannel channel, TrafficCounters counters) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.loop = group.next();
        this.channel = channel;
        this.counters = counters;
        this.pending = new PendingFrames(loop, this::flushPending, () -> closed, counters);
    }

    /** Opens the TAP {@code name} (creating it if absent) on an event loop of its own. */
    public static TapWirePort open(String name) {
        return open(name, null, EthernetFrames.DEFAULT_MAX_FRAME_LENGTH);
    }

    /**
     * Opens the TAP {@code name} (creating it if absent); frames flow when this returns.
     *
     * @param group an epoll event loop group (its owner closes it), or null for a private one
     * @throws TapException with a one-line reason when the TAP cannot be opened
     */
    public static TapWirePort open(String name, EventLoopGroup group, int maxFrameLength) {
        TrafficCounters counters = new TrafficCounters();
        TapChannel channel = TapChannel.open(name, maxFrameLength, counters);
        boolean owns = group == null;
        EventLoopGroup g = owns ? new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()) : group;
        TapWirePort port = new TapWirePort(g, owns, channel, counters);
        channel.pipeline().addLast(port.new Delivery());
        ChannelFuture registered = port.loop.register(channel).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            port.close();
            throw new TapException(name, "cannot watch it with epoll: " + IoErrors.reason(registered.cause()));
        }
        return port;
    }

    /** True when TAP devices can be opened here at all (Linux, Netty's epoll); root is still needed. */
    public static boolean isSupported() {
        return Epoll.isAvailable();
    }

    /** The interface name. */
    public String interfaceName() {
        return channel.interfaceName();
    }

    /** Frames and bytes each way, drops by reason. */
    public TrafficStatistics statistics() {
        return counters.snapshot();
    }

    @Override
    public void attach(WireListener listener) {
        this.listener = listener;
        loop.execute(this::reportCarrier);
    }

    @Override
    public boolean send(ByteBuf frame) {
        DropReason drop;
        if (closed || !channel.isActive()) {
            drop = DropReason.CARRIER_DOWN;
        } else if (loop.inEventLoop()) {
            channel.write(frame, channel.voidPromise());
            return true;
        } else {
            drop = pending.offer(frame, MAX_PENDING_BYTES);
            if (drop == null) {
                return true;
            }
        }
        frame.release();
        counters.dropped(drop);
        return false;
    }

    @Override
    public void flush() {
        if (loop.inEventLoop()) {
            flushPending();
        } else {
            pending.scheduleFlush();
        }
    }

    /** On the loop: writes what other threads queued, then flushes once. */
    private void flushPending() {
        pending.flushing();
        for (; ; ) {
            ByteBuf frame = pending.poll();
            if (frame == null) {
                break;
            }
            if (channel.isActive()) {
                // A frame the channel refuses is counted by it (MALFORMED, or CARRIER_DOWN on EIO).
                channel.write(frame, channel.voidPromise());
            } else {
                frame.release();
                counters.dropped(DropReason.CARRIER_DOWN);
            }
        }
        channel.flush();
    }

    @Override
    public boolean isCarrierUp() {
        return !closed && channel.isActive();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** Closes the descriptor (a TAP this port created disappears with it); the listener sees carrier down. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop.inEventLoop()) {
            shutdown();
        } else if (!loop.isShuttingDown()) {
            loop.submit(this::shutdown).syncUninterruptibly();
        }
        if (channel.isOpen()) {
            channel.unsafe().closeForcibly(); // never registered: close the descriptor here
        }
        pending.dropAll();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void shutdown() {
        flushPending();
        channel.close();
        reportCarrier();
    }

    /** On the loop: tells the listener the carrier state if it changed since it was last told. */
    private void reportCarrier() {
        boolean up = isCarrierUp();
        WireListener l = listener;
        if (l != null && up != carrierReported) {
            carrierReported = up;
            l.carrierChanged(up);
        }
    }

    /** The only handler: frames to the listener, the channel's end to the carrier. */
    private final class Delivery extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            LOG.info("TAP {}: open, carrier up", channel.interfaceName());
            reportCarrier();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            WireListener l = listener;
            if (l == null) {
                ((ByteBuf) msg).release(); // no device attached yet: an unplugged NIC
                return;
            }
            l.frameReceived((ByteBuf) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            WireListener l = listener;
            if (l != null) {
                l.receiveComplete();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed) {
                LOG.warn("TAP {}: the device went away, carrier down", channel.interfaceName());
            }
            reportCarrier();
            ctx.fireChannelInactive();
        }

        /**
         * A frame the kernel refused (EIO while the interface is down) or one outside the limits: it
         * is counted, so the log says it only at DEBUG. A failing descriptor closes the channel, and
         * {@link #channelInactive} says so.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("TAP {}: {}", channel.interfaceName(), IoErrors.reason(cause));
        }
    }
}
