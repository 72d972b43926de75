package org.ndis4j.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WirePort} over TCP in QEMU stream framing (a 4-byte big-endian length, then the
 * Ethernet frame; see {@link FrameSplitter}). Interoperates with QEMU's {@code -netdev stream} and
 * {@code -netdev socket}, with the {@link VirtualSwitch}, and with another {@code TcpWirePort}.
 *
 * <ul>
 *   <li>{@link #connect}: a client. Carrier is up while connected; when the connection is lost or
 *       refused it reconnects after a doubling, capped delay ({@link TcpWireOptions}).</li>
 *   <li>{@link #listen}: a server that takes one peer at a time, as a listening QEMU netdev does;
 *       a second peer is closed at once. Carrier is up while a peer is connected.</li>
 * </ul>
 *
 * <p>Threads: everything about the connection happens on one event loop, where the listener is
 * called. {@link #send} and {@link #flush} may be called from any thread; sends from other threads
 * are queued and written by one task per {@link #flush}. When the peer reads too slowly (the
 * channel is not writable, or the queue holds the high water mark) {@code send} releases the frame,
 * counts it as {@link DropReason#BACKPRESSURE} and returns false: memory stays bounded.
 */
public final class TcpWirePort implements WirePort {

    private static final Logger LOG = LoggerFactory.getLogger(TcpWirePort.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    /** The one loop every channel of this port lives on, so the state below needs no lock. */
    private final EventLoop loop;

    private final TcpWireOptions options;
    private final TrafficCounters counters = new TrafficCounters();
    private final InetSocketAddress remote;
    /** Frames sent from other threads, not yet written. */
    private final PendingFrames pending;

    private volatile WireListener listener;
    /** The connection carrying frames, or null: written on the loop, read anywhere. */
    private volatile Channel active;

    private volatile boolean closed;
    /** Loop-confined: the carrier state the listener was last told. */
    private boolean carrierReported;
    /** Loop-confined: reconnect attempts since the last successful connection. */
    private int attempts;

    private ScheduledFuture<?> reconnect;
    private Channel server;

    private TcpWirePort(EventLoopGroup group, boolean ownsGroup, TcpWireOptions options, InetSocketAddress remote) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.loop = group.next();
        this.options = options;
        this.remote = remote;
        this.pending = new PendingFrames(loop, this::flushPending, () -> closed, counters);
    }

    /** A client port with its own event loop and default options. */
    public static TcpWirePort connect(InetSocketAddress remote) {
        return connect(remote, null, TcpWireOptions.DEFAULTS);
    }

    /**
     * A client port: connects to {@code remote} now and again whenever the connection is lost.
     *
     * @param group a shared event loop group (its owner closes it), or null for a private one
     */
    public static TcpWirePort connect(InetSocketAddress remote, EventLoopGroup group, TcpWireOptions options) {
        TcpWirePort port = create(group, options, remote);
        port.loop.execute(port::dial);
        return port;
    }

    /** A listening port with its own event loop and default options; port 0 picks a free port. */
    public static TcpWirePort listen(InetSocketAddress local) {
        return listen(local, null, TcpWireOptions.DEFAULTS);
    }

    /**
     * A listening port, bound when this returns (see {@link #localAddress()}).
     *
     * @param group a shared event loop group (its owner closes it), or null for a private one
     */
    public static TcpWirePort listen(InetSocketAddress local, EventLoopGroup group, TcpWireOptions options) {
        TcpWirePort port = create(group, options, null);
        try {
            port.server = new ServerBootstrap()
                    .group(port.loop, port.loop)
                    .channel(Transports.serverChannel(port.group))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, port.waterMark())
                    .childHandler(port.new Initializer(true))
                    .bind(local)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            port.close();
            throw e;
        }
        return port;
    }

    private static TcpWirePort create(EventLoopGroup group, TcpWireOptions options, InetSocketAddress remote) {
        boolean owns = group == null;
        return new TcpWirePort(owns ? Transports.newGroup(1) : group, owns, options, remote);
    }

    /** The bound address of a listening port; the local end of the connection of a client. */
    public InetSocketAddress localAddress() {
        Channel ch = server != null ? server : active;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    /** Frames and bytes each way, drops by reason, broken streams by error. */
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
        int length = frame.readableBytes();
        DropReason drop = null;
        Channel ch = active;
        if (length < EthernetFrames.HEADER_LENGTH || length > options.maxFrameLength()) {
            drop = DropReason.MALFORMED;
        } else if (ch == null || closed) {
            drop = DropReason.CARRIER_DOWN;
        } else if (!ch.isWritable()) {
            drop = DropReason.BACKPRESSURE;
        } else if (loop.inEventLoop()) {
            ch.write(frame, ch.voidPromise());
            counters.transmitted(1, length);
            return true;
        } else {
            drop = pending.offer(frame, options.writeHighWater());
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
        Channel ch = active;
        long frames = 0;
        long bytes = 0;
        long lost = 0;
        for (; ; ) {
            ByteBuf frame = pending.poll();
            if (frame == null) {
                break;
            }
            if (ch == null || !ch.isActive()) {
                frame.release();
                lost++;
            } else {
                bytes += frame.readableBytes();
                frames++;
                ch.write(frame, ch.voidPromise());
            }
        }
        counters.transmitted(frames, bytes);
        if (lost != 0) {
            counters.dropped(DropReason.CARRIER_DOWN, lost);
        }
        if (ch != null) {
            ch.flush();
        }
    }

    @Override
    public boolean isCarrierUp() {
        return active != null && !closed;
    }

    @Override
    public ByteBufAllocator alloc() {
        Channel ch = active;
        return ch != null ? ch.alloc() : ByteBufAllocator.DEFAULT;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

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
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** On the loop: undoes what was set up, in reverse order, and reports carrier down once. */
    private void shutdown() {
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (server != null) {
            server.close();
        }
        Channel ch = active;
        if (ch != null) {
            ch.close();
        }
        flushPending();
        reportCarrier();
    }

    private WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(options.writeLowWater(), options.writeHighWater());
    }

    /** On the loop: one connection attempt of a client; failure schedules the next. */
    private void dial() {
        if (closed) {
            return;
        }
        ChannelFuture f = new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel(group))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new Initializer(false))
                .connect(remote);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.debug("connect to {} failed: {}", remote, done.cause().toString());
                scheduleReconnect();
            }
        });
    }

    private void scheduleReconnect() {
        if (closed || remote == null) {
            return;
        }
        long delay = options.reconnectDelay(attempts++).toNanos();
        reconnect = loop.schedule(this::dial, delay, TimeUnit.NANOSECONDS);
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

    private final class Initializer extends ChannelInitializer<Channel> {
        private final boolean accepted;

        Initializer(boolean accepted) {
            this.accepted = accepted;
        }

        @Override
        protected void initChannel(Channel ch) {
            if (accepted) {
                if (active != null || closed) {
                    // A listening QEMU netdev serves one peer at a time; so do we.
                    LOG.warn("{}: refusing a second peer, {} is connected", ch, active);
                    ch.close();
                    return;
                }
                active = ch; // claimed now, so a second peer accepted in the same burst is refused
            }
            ch.pipeline()
                    .addLast(new FrameDecoder(options.maxFrameLength(), counters), new FrameEncoder(), new Delivery());
        }
    }

    /** The last inbound handler: frames to the listener, connection state to the carrier. */
    private final class Delivery extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // A client's channel carries frames once connected; a failed attempt never gets here.
            active = ctx.channel();
            attempts = 0;
            LOG.info("{}: connected, carrier up", ctx.channel());
            reportCarrier();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            WireListener l = listener;
            if (l == null) {
                // No device attached yet: the frame falls on the floor, as on an unplugged NIC.
                ((ByteBuf) msg).release();
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
            if (active == ctx.channel()) {
                active = null;
                LOG.info("{}: connection lost, carrier down", ctx.channel());
                reportCarrier();
                scheduleReconnect();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Resets and listener bugs end here: log and drop the connection, never propagate.
            LOG.warn("{}: closing after {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }
}
