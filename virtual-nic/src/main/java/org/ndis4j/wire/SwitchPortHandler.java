package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline of one switch port: splits the incoming stream into frames
 * ({@link FrameSplitter}), learns source addresses, and hands each frame, still in its wire form
 * (length prefix included), to the output queue of every port it goes to, so that forwarding is a
 * slice, never a copy or a re-encode (see {@link OutputQueue} for how frames become writes).
 *
 * <p>Broken input closes this port only; so does a frame that stalls half-way or a port that stays
 * idle past its timeout ({@link #closeIfTimedOut}). Not sharable.
 */
final class SwitchPortHandler extends ChannelInboundHandlerAdapter implements FrameSplitter.FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchPortHandler.class);
    private static final RateLimitedLog WARN = new RateLimitedLog(LOG);
    private static final long NO_PARTIAL = Long.MIN_VALUE;

    private final SwitchFabric fabric;
    private final SwitchPort port;
    private final FrameSplitter splitter;
    private final PcapWriter capture;
    private ChannelHandlerContext ctx;
    private boolean broken;
    /** Read once per burst: a clock call per frame is measurable at millions of frames/s. */
    private long now;

    private boolean inBurst;
    /** When the port last received bytes, for the idle timeout. */
    private long lastRead;
    /** When the frame now held half-received started, or NO_PARTIAL. */
    private long partialSince = NO_PARTIAL;

    private long burstFrames;
    private long burstBytes;
    private long burstFiltered;
    /** The last source learned in this burst: a run of frames from one station learns it once. */
    private long learnedSource = -1;
    /** The last destination looked up in this burst and its port; forgotten whenever this burst learns. */
    private long cachedDestination = -1;

    private SwitchPort cachedPort;

    SwitchPortHandler(SwitchFabric fabric, SwitchPort port) {
        this.fabric = fabric;
        this.port = port;
        this.splitter = new FrameSplitter(fabric.options.maxFrameLength(), port.counters);
        this.capture = fabric.capture;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = fabric.now();
        port.handler = this;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (broken) {
            in.release();
            return;
        }
        if (!inBurst) {
            inBurst = true;
            now = fabric.now();
            lastRead = now;
            learnedSource = -1;
            cachedDestination = -1;
        }
        long framesBefore = burstFrames;
        FrameError error = splitter.split(in, ctx.alloc(), this);
        if (error != null) {
            reject(error);
        } else if (!splitter.holdsPartial()) {
            partialSince = NO_PARTIAL;
        } else if (partialSince == NO_PARTIAL || burstFrames != framesBefore) {
            // A frame is in progress. Its clock restarts with every frame completed: a stream that
            // keeps delivering frames is never "stalled", though every read ends inside one.
            partialSince = now;
        }
    }

    @Override
    public void frame(ByteBuf buf, int prefixIndex, int frameLength) {
        burstFrames++;
        burstBytes += frameLength;
        int eth = prefixIndex + FrameSplitter.PREFIX_LENGTH;
        long destination = EthernetFrames.destinationAt(buf, eth);
        long source = EthernetFrames.sourceAt(buf, eth);
        if (source != learnedSource && !EthernetFrames.isGroupAddress(source)) {
            fabric.macTable.learn(source, port, now);
            learnedSource = source;
            cachedDestination = -1; // learning may have moved the station we cached
        }
        if (capture != null) {
            capture.write(buf, eth, frameLength);
        }
        SwitchPort out;
        if (destination == cachedDestination) {
            out = cachedPort;
        } else {
            out = EthernetFrames.isGroupAddress(destination) ? null : fabric.macTable.lookup(destination, now);
            cachedDestination = destination;
            cachedPort = out;
        }
        if (out == port) {
            // The destination sits behind the port the frame came from: a switch filters it.
            burstFiltered++;
            return;
        }
        if (out == null || !out.canForward()) {
            fabric.flood(port, buf, prefixIndex, frameLength);
        } else {
            fabric.forward(out, buf, prefixIndex, frameLength);
        }
        fabric.mirror(buf, prefixIndex, frameLength);
    }

    @Override
    public void bufferDone(ByteBuf buf) {
        fabric.endBuffer(port);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        countBurst();
    }

    /** Adds the burst's counts; also when the port closes, since no read-complete may follow a close. */
    private void countBurst() {
        inBurst = false;
        fabric.endBurst();
        if (burstFrames != 0) {
            port.counters.received(burstFrames, burstBytes);
            burstFrames = 0;
            burstBytes = 0;
        }
        if (burstFiltered != 0) {
            port.counters.dropped(DropReason.FILTERED, burstFiltered);
            burstFiltered = 0;
        }
    }

    /**
     * Called by the fabric's sweep: closes the port if its half-received frame started more than
     * {@code partialNanos} ago (counted as {@link FrameError#STALLED}) or nothing arrived for
     * {@code idleNanos} (0 turns either off). Returns true when it closed the port for idleness.
     */
    boolean closeIfTimedOut(long now, long partialNanos, long idleNanos) {
        if (broken) {
            return false;
        }
        if (partialNanos > 0 && partialSince != NO_PARTIAL && now - partialSince > partialNanos) {
            reject(splitter.stall());
            return false;
        }
        if (idleNanos > 0 && now - lastRead > idleNanos) {
            broken = true;
            WARN.warn("{}: closing {}: idle for more than {} ms", ctx.channel(), port, idleNanos / 1_000_000);
            ctx.close();
            return true;
        }
        return false;
    }

    private void reject(FrameError error) {
        broken = true;
        partialSince = NO_PARTIAL;
        countBurst();
        splitter.reject(ctx, error);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            fabric.resumeInputs(port.output);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        countBurst();
        FrameError error = splitter.finish();
        if (error != null && !broken && !fabric.isClosing()) {
            reject(error);
        }
        fabric.unplug(port, ctx.channel());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        splitter.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets end here; nothing propagates and the other ports carry on.
        if (cause instanceof IOException) {
            LOG.debug("{}: closing after {}", port, cause.toString());
        } else {
            LOG.error("{}: closing after an unexpected failure", port, cause);
        }
        ctx.close();
    }
}
