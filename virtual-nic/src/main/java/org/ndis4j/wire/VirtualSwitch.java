package org.ndis4j.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
 *       flooded to every other port that is up and connected.</li>
 *   <li>Ports are numbered slots; {@link #setAdminUp} pulls and replugs the cable of one slot (see
 *       {@link SwitchFabric} for how a reconnecting peer finds its slot).</li>
 *   <li>Optional pcap capture of every frame the switch receives.</li>
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

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final SwitchFabric fabric;
    private final InetSocketAddress requested;
    private final ScheduledFuture<?> purge;
    /** Loop-confined: the listening socket, or null while the next free slot is down. */
    private Channel server;
    /** Loop-confined: a bind to listen again is in flight. */
    private boolean binding;
    /** The address actually bound (port 0 resolved), kept to listen again after an admin up. */
    private volatile InetSocketAddress bound;

    private volatile boolean closed;

    private VirtualSwitch(
            InetSocketAddress listen, SwitchOptions options, EventLoopGroup group, boolean owns, PcapWriter capture) {
        this.group = group;
        this.ownsGroup = owns;
        this.loop = group.next();
        this.requested = listen;
        this.fabric = new SwitchFabric(options, capture, this::updateListening);
        long period = Math.max(1, options.ageing().toMillis() / 2);
        this.purge = loop.scheduleAtFixedRate(fabric::purgeAged, period, period, TimeUnit.MILLISECONDS);
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
     */
    public static VirtualSwitch start(InetSocketAddress listen, SwitchOptions options, EventLoopGroup group) {
        PcapWriter capture = null;
        try {
            if (options.capture() != null) {
                capture = PcapWriter.open(options.capture(), PcapWriter.DEFAULT_SNAPLEN);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open capture file " + options.capture(), e);
        }
        boolean owns = group == null;
        VirtualSwitch sw = new VirtualSwitch(listen, options, owns ? Transports.newGroup(1) : group, owns, capture);
        try {
            Channel server = sw.bind(listen).syncUninterruptibly().channel();
            sw.onLoop(() -> {
                sw.server = server;
                sw.bound = (InetSocketAddress) server.localAddress();
                sw.updateListening(); // a port may have been set down already
                return null;
            });
        } catch (RuntimeException e) {
            sw.close();
            throw e;
        }
        LOG.info("switch listening on {}", sw.bound);
        return sw;
    }

    /** The address peers connect to. */
    public InetSocketAddress localAddress() {
        return bound;
    }

    /** Pulls ({@code up = false}) or replugs the cable of port {@code number}. */
    public void setAdminUp(int number, boolean up) {
        onLoop(() -> {
            fabric.setAdminUp(number, up);
            return null;
        });
    }

    /** Every port slot, in number order. */
    public List<SwitchPortStatistics> ports() {
        return onLoop(() -> {
            List<SwitchPortStatistics> list = new ArrayList<>();
            for (SwitchPort p : fabric.ports()) {
                list.add(p.statistics());
            }
            return list;
        });
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

    /** Frames the capture wrote and missed (0 and 0 without capture). */
    public long[] captureCounts() {
        PcapWriter c = fabric.capture;
        return c == null ? new long[] {0, 0} : new long[] {c.framesWritten(), c.framesDropped()};
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        purge.cancel(false);
        if (!loop.isShuttingDown()) {
            onLoop(() -> {
                if (server != null) {
                    server.close();
                }
                for (SwitchPort p : fabric.ports()) {
                    Channel ch = p.channel;
                    if (ch != null) {
                        ch.close();
                    }
                }
                return null;
            });
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (fabric.capture != null) {
            fabric.capture.closeUnchecked();
        }
    }

    private ChannelFuture bind(InetSocketAddress address) {
        SwitchOptions o = fabric.options;
        return new ServerBootstrap()
                .group(loop, loop)
                .channel(Transports.serverChannel(group))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(o.writeLowWater(), o.writeHighWater()))
                .childOption(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(2048, 64 * 1024, MAX_READ_BUFFER))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SwitchPort port = fabric.plug(ch);
                        if (port != null) {
                            ch.pipeline().addLast(new SwitchPortHandler(fabric, port));
                        }
                    }
                })
                .bind(address);
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
            LOG.info("stopped listening on {}: the next free port is administratively down", bound);
        } else if (accept && server == null && !binding) {
            binding = true;
            ChannelFuture f = bind(bound);
            f.addListener(done -> {
                binding = false;
                if (closed) {
                    f.channel().close();
                    return;
                }
                if (!done.isSuccess()) {
                    LOG.error(
                            "cannot listen again on {}: {}", bound, done.cause().toString());
                    return;
                }
                server = f.channel();
                LOG.info("listening again on {}", bound);
                updateListening(); // the slots may have changed while binding
            });
        }
    }

    private <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = loop.submit(task);
        return f.syncUninterruptibly().getNow();
    }
}
