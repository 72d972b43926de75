package org.ndis4j.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An L2 learning switch whose ports are TCP connections in QEMU stream framing, accepted on one
 * listen address: virtual NICs ({@link TcpWirePort#connect}), QEMU guests
 * ({@code -netdev stream,server=off,...}) and load generators plug into it.
 *
 * <ul>
 *   <li>Learning: the source MAC of every frame is bound to its input port; entries age out after
 *       {@link SwitchOptions#ageing()} without traffic, and vanish when their port disconnects.</li>
 *   <li>Forwarding: known unicast goes to its port; broadcast, multicast and unknown unicast are
 *       flooded to every other port that is up and connected. Each port has a bounded output queue;
 *       a frame that does not fit is dropped and counted on that port, so a port that stops reading
 *       never holds up another ({@link SwitchFabric}).</li>
 *   <li>Ports are numbered slots; {@link #setAdminUp} pulls and replugs the cable of one slot. At
 *       most {@link SwitchOptions#maxPorts()} are connected; stalled frames and idle ports are closed
 *       after their timeouts.</li>
 *   <li>Optional pcap capture of every frame the switch receives, and an optional mirror listener
 *       whose connections receive a copy of every frame it forwards.</li>
 * </ul>
 *
 * <p>All ports live on one event loop: forwarding is then a plain write into the output channel,
 * with no cross-thread hand-off, and the tables need no lock. Methods of this class may be called
 * from any thread; they run on that loop.
 */
public final class VirtualSwitch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualSwitch.class);
    /** Reads up to this size per syscall: fewer, larger reads are what makes small frames cheap. */
    private static final int MAX_READ_BUFFER = 256 * 1024;
    /** How long {@link #close()} waits for the ports to finish closing. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final SwitchFabric fabric;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    /** Loop-confined: the listening socket, or null while the next free slot is down. */
    private Channel server;
    /** Loop-confined: the mirror listener, or null. */
    private Channel mirrorServer;
    /** Loop-confined: a bind to listen again is in flight. */
    private boolean binding;
    /** The address actually bound (port 0 resolved), kept to listen again after an admin up. */
    private volatile InetSocketAddress bound;

    private volatile InetSocketAddress mirrorBound;
    private volatile boolean closed;
    /** The port counters once every port has closed; what {@link #statistics()} returns after close. */
    private volatile SwitchStatistics closedStatistics;

    private VirtualSwitch(SwitchOptions options, EventLoopGroup group, boolean owns) {
        this.group = group;
        this.ownsGroup = owns;
        this.loop = group.next();
        this.fabric = new SwitchFabric(options, null, this::updateListening);
    }

    /** Starts a switch on {@code listen} (port 0 picks a free port) with its own event loop. */
    public static VirtualSwitch start(InetSocketAddress listen, SwitchOptions options) {
        return start(listen, options, null);
    }

    /**
     * Starts a switch listening on {@code listen}; it is accepting when this returns.
     *
     * @param group a shared event loop group (its owner closes it; the switch uses one of its
     *              loops), or null for a private single-thread one
     * @throws CannotListenException when an address cannot be bound (the message says why)
     * @throws UncheckedIOException  when the capture file cannot be opened (the message says why)
     */
    public static VirtualSwitch start(InetSocketAddress listen, SwitchOptions options, EventLoopGroup group) {
        boolean owns = group == null;
        VirtualSwitch sw = new VirtualSwitch(options, owns ? Transports.newGroup(1) : group, owns);
        try {
            // Sockets first (not accepting yet), then the capture file: a switch that cannot listen
            // creates or truncates no file.
            Channel server = sw.bind(listen, sw.new PortInitializer(), "");
            Channel mirror =
                    options.mirror() == null ? null : sw.bind(options.mirror(), sw.new MirrorInitializer(), "mirror");
            PcapWriter capture = openCapture(options);
            sw.onLoop(() -> {
                sw.fabric.capture = capture;
                server.config().setAutoRead(true);
                if (mirror != null) {
                    mirror.config().setAutoRead(true);
                }
                sw.server = server;
                sw.bound = (InetSocketAddress) server.localAddress();
                sw.mirrorServer = mirror;
                sw.mirrorBound = mirror == null ? null : (InetSocketAddress) mirror.localAddress();
                sw.updateListening(); // a port may have been set down already
                return null;
            });
            sw.schedulePeriodicWork();
        } catch (RuntimeException e) {
            sw.close();
            throw e;
        }
        LOG.debug("switch listening on {}", Transports.format(sw.bound));
        return sw;
    }

    /** The address peers connect to. */
    public InetSocketAddress localAddress() {
        return bound;
    }

    /** The address of the mirror listener, or null without one. */
    public InetSocketAddress mirrorAddress() {
        return mirrorBound;
    }

    /**
     * Plugs the Linux TAP device {@code name} (created if there is none) into the lowest free port
     * slot: the host's own network stack becomes a station on the switch, next to the TCP ports. The
     * port is a {@link TapChannel} on the switch's event loop, framed by {@link TapFraming}; it leaves
     * when the TAP is deleted, or when the port is set down (which closes the TAP: a TAP the switch
     * created then disappears, and setting the port up again does not reopen it).
     *
     * @return the port number
     * @throws TapException when the TAP cannot be opened, or no slot takes it (one line says why)
     */
    public int attachTap(String name) {
        TapChannel ch = TapChannel.open(name, fabric.options.maxFrameLength(), new TrafficCounters());
        Integer number = onLoop(() -> {
            SwitchPort port = fabric.plug(ch);
            if (port == null) {
                return null; // plug() closed the channel, and with it the descriptor
            }
            ch.pipeline().addLast(new TapFraming(), new SwitchPortHandler(fabric, port));
            ChannelFuture registered = loop.register(ch);
            if (registered.isDone() && !registered.isSuccess()) {
                fabric.unplug(port, ch);
                ch.close();
                throw new TapException(name, "cannot watch it with epoll: " + IoErrors.reason(registered.cause()));
            }
            return port.number;
        });
        if (number == null) {
            throw new TapException(
                    name, "the switch has no port for it (maximum ports reached, or the next port is down)");
        }
        LOG.info("TAP {} plugged into port {}", name, number);
        return number;
    }

    /** Pulls ({@code up = false}) or replugs the cable of port {@code number}. */
    public void setAdminUp(int number, boolean up) {
        onLoop(() -> {
            fabric.setAdminUp(number, up);
            return null;
        });
    }

    /** Every port slot (connected or administratively down), in number order. */
    public List<SwitchPortStatistics> ports() {
        return statistics().ports();
    }

    /** Ports, totals, refusals, mirror sessions and capture; after {@link #close()}, the final figures. */
    public SwitchStatistics statistics() {
        SwitchStatistics last = closedStatistics;
        if (last != null) {
            return withCapture(last);
        }
        return onLoop(this::snapshot);
    }

    /** The learned addresses now: MAC (as text) → port number. */
    public List<String> macTable() {
        return onLoop(() -> {
            List<String> list = new ArrayList<>();
            fabric.macTable.forEach(
                    fabric.now(), (mac, port) -> list.add(EthernetFrames.formatMac(mac) + " port " + port.number));
            return list;
        });
    }

    /**
     * Stops listening, closes every port and mirror session and waits until they are closed (frames
     * still queued are counted as dropped), then finishes the capture file. {@link #statistics()}
     * then returns the final figures.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        periodic.forEach(f -> f.cancel(false));
        if (!loop.isShuttingDown()) {
            onLoop(() -> {
                fabric.closing();
                for (Channel ch : new Channel[] {server, mirrorServer}) {
                    if (ch != null) {
                        ch.close();
                    }
                }
                for (SwitchPort p : fabric.ports()) {
                    if (p != null && p.channel != null) {
                        p.channel.close();
                    }
                }
                for (MirrorSession m : fabric.mirrors()) {
                    m.channel.close();
                }
                return null;
            });
            awaitPortsClosed();
            closedStatistics = onLoop(this::snapshot);
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (fabric.capture != null) {
            try {
                fabric.capture.close();
            } catch (IOException e) {
                LOG.error("capture to {}: {}", fabric.capture.path(), IoErrors.reason(e));
            }
        }
    }

    /** Closing a channel finishes in tasks queued behind the close: wait for them, boundedly. */
    private void awaitPortsClosed() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (onLoop(() -> fabric.connectedPorts() > 0 || fabric.mirrors().length > 0)) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("ports still closing after {}; final counters may miss their last frames", CLOSE_WAIT);
                return;
            }
            LockSupport.parkNanos(1_000_000); // poll interval of a bounded wait
        }
    }

    /** On the loop: the figures now. */
    private SwitchStatistics snapshot() {
        List<SwitchPortStatistics> ports = new ArrayList<>();
        for (SwitchPort p : fabric.ports()) {
            if (p != null) {
                ports.add(p.statistics());
            }
        }
        List<MirrorStatistics> mirrors = new ArrayList<>();
        for (MirrorSession m : fabric.mirrors()) {
            mirrors.add(m.statistics());
        }
        return withCapture(new SwitchStatistics(
                bound == null ? null : Transports.format(bound),
                List.copyOf(ports),
                fabric.connectedPorts(),
                fabric.departed.snapshot(),
                fabric.refused.sum(),
                fabric.idleClosed.sum(),
                fabric.buffer.used,
                fabric.buffer.capacity,
                List.copyOf(mirrors),
                null));
    }

    private SwitchStatistics withCapture(SwitchStatistics s) {
        PcapWriter c = fabric.capture;
        return c == null
                ? s
                : s.withCapture(
                        new CaptureStatistics(c.path().toString(), c.framesWritten(), c.framesDropped(), c.failure()));
    }

    private void schedulePeriodicWork() {
        SwitchOptions o = fabric.options;
        long purge = Math.max(1, o.ageing().toMillis() / 2);
        periodic.add(loop.scheduleAtFixedRate(fabric::purgeAged, purge, purge, TimeUnit.MILLISECONDS));
        long shortest = Long.MAX_VALUE;
        for (Duration d : new Duration[] {o.partialFrameTimeout(), o.idleTimeout()}) {
            if (!d.isZero()) {
                shortest = Math.min(shortest, d.toMillis());
            }
        }
        if (shortest != Long.MAX_VALUE) {
            // A quarter of the shortest timeout: a port is closed at most 25 % late.
            long period = Math.min(1000, Math.max(10, shortest / 4));
            periodic.add(loop.scheduleAtFixedRate(fabric::sweep, period, period, TimeUnit.MILLISECONDS));
        }
    }

    private static PcapWriter openCapture(SwitchOptions options) {
        if (options.capture() == null) {
            return null;
        }
        try {
            return PcapWriter.open(options.capture(), PcapWriter.DEFAULT_SNAPLEN, options.replaceCapture());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot capture to " + options.capture() + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Binds a listener that does not accept yet (auto-read off: the caller turns it on once the
     * switch is ready); the failure, if any, as a one-line {@link CannotListenException}.
     */
    private Channel bind(InetSocketAddress address, ChannelHandler child, String what) {
        ChannelFuture f = bootstrap(address, child).bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new CannotListenException(what, address, f.cause());
        }
        return f.channel();
    }

    private ServerBootstrap bootstrap(InetSocketAddress address, ChannelHandler child) {
        long queue = fabric.options.queueBytes();
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Only flow control looks at writability: an input pauses above a quarter of the
                // queue, below the half where storm control starts dropping floods.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(queue))
                .childOption(
                        ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(2048, 64 * 1024, MAX_READ_BUFFER))
                .childHandler(child);
        return Transports.listenExactly(b, group, address);
    }

    /** Flow control pauses an input above a quarter of a queue it feeds, resumes it below an eighth. */
    static WriteBufferWaterMark waterMark(long queueBytes) {
        return new WriteBufferWaterMark((int) (queueBytes / 8), (int) (queueBytes / 4));
    }

    /** Plugs each accepted connection into a port slot. */
    private final class PortInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            SwitchPort port = fabric.plug(ch);
            if (port != null) {
                ch.pipeline().addLast(new SwitchPortHandler(fabric, port));
            }
        }
    }

    /** Attaches each accepted mirror connection; what it sends is read and discarded. */
    private final class MirrorInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            MirrorSession session = fabric.attachMirror(ch);
            if (session != null) {
                ch.pipeline().addLast(new MirrorHandler(session));
            }
        }
    }

    private final class MirrorHandler extends ChannelInboundHandlerAdapter {
        private final MirrorSession session;

        MirrorHandler(MirrorSession session) {
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            session.counters.received(0, in.readableBytes());
            in.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fabric.detachMirror(session);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: mirror session closing after {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }

    /**
     * On the loop, after any slot change: listen while the slot a newcomer would take is up, and
     * close the listening socket otherwise, so the peer of a downed port sees "connection refused"
     * (carrier stays down) rather than a connection that opens and closes.
     */
    private void updateListening() {
        if (closed || bound == null) {
            return;
        }
        boolean accept = fabric.accepting();
        if (!accept && server != null) {
            server.close();
            server = null;
            LOG.info("stopped listening on {}: the next free port is administratively down", Transports.format(bound));
        } else if (accept && server == null && !binding) {
            binding = true;
            ChannelFuture f = bootstrap(bound, new PortInitializer()).bind(bound);
            f.addListener(done -> {
                binding = false;
                if (closed) {
                    f.channel().close();
                    return;
                }
                if (!done.isSuccess()) {
                    LOG.error("cannot listen again on {}: {}", Transports.format(bound), IoErrors.reason(done.cause()));
                    return;
                }
                server = f.channel();
                server.config().setAutoRead(true);
                LOG.info("listening again on {}", Transports.format(bound));
                updateListening(); // the slots may have changed while binding
            });
        }
    }

    private <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = loop.submit(task);
        return f.syncUninterruptibly().getNow();
    }
}
