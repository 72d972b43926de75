package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline of one switch port: splits the incoming stream into frames
 * ({@link FrameSplitter}), learns source addresses, and forwards each frame still in its wire
 * form (length prefix included) so that forwarding is a slice, never a copy or a re-encode.
 *
 * <pre>
 * read buffer:  [len|frame A→p2][len|frame B→p2][len|frame C→p3][len|frame D→p2] ...
 * written:      p2 ← slice(A..B)   p3 ← slice(C)   p2 ← slice(D)    (then one flush per port)
 * </pre>
 *
 * <p>Consecutive frames of one read bound for the same port are merged into a single slice (a
 * "run"), so a burst of small unicast frames costs one write, not one per frame. Broken input
 * closes this port only. Not sharable.
 */
final class SwitchPortHandler extends ChannelInboundHandlerAdapter implements FrameSplitter.FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchPortHandler.class);

    private final SwitchFabric fabric;
    private final SwitchPort port;
    private final FrameSplitter splitter;
    private final PcapWriter capture;
    private boolean broken;
    /** Read once per burst: a clock call per frame is measurable at millions of frames/s. */
    private long now;

    private boolean inBurst;
    private long burstFrames;
    private long burstBytes;
    private long burstFiltered;
    /** The current run: frames [runStart, runEnd) of runBuffer, all bound for runPort. */
    private SwitchPort runPort;

    private ByteBuf runBuffer;
    private int runStart;
    private int runEnd;
    private long runFrames;
    private long runBytes;

    SwitchPortHandler(SwitchFabric fabric, SwitchPort port) {
        this.fabric = fabric;
        this.port = port;
        this.splitter = new FrameSplitter(fabric.options.maxFrameLength(), port.counters);
        this.capture = fabric.capture;
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
        }
        FrameError error = splitter.split(in, ctx.alloc(), this);
        if (error != null) {
            broken = true;
            splitter.reject(ctx, error);
        }
    }

    @Override
    public void frame(ByteBuf buf, int prefixIndex, int frameLength) {
        burstFrames++;
        burstBytes += frameLength;
        int eth = prefixIndex + FrameSplitter.PREFIX_LENGTH;
        long destination = EthernetFrames.macAt(buf, eth);
        long source = EthernetFrames.macAt(buf, eth + 6);
        if (!EthernetFrames.isGroupAddress(source)) {
            fabric.macTable.learn(source, port, now);
        }
        if (capture != null && !capture.write(buf, eth, frameLength)) {
            port.counters.dropped(DropReason.CAPTURE_BEHIND);
        }
        SwitchPort out = EthernetFrames.isGroupAddress(destination) ? null : fabric.macTable.lookup(destination, now);
        if (out == null || !out.canForward()) {
            endRun();
            fabric.flood(port, buf, prefixIndex, frameLength);
        } else if (out == port) {
            // The destination sits behind the port the frame came from: a switch filters it.
            burstFiltered++;
        } else if (out == runPort && buf == runBuffer && prefixIndex == runEnd) {
            runEnd += FrameSplitter.PREFIX_LENGTH + frameLength;
            runFrames++;
            runBytes += frameLength;
        } else {
            endRun();
            runPort = out;
            runBuffer = buf;
            runStart = prefixIndex;
            runEnd = prefixIndex + FrameSplitter.PREFIX_LENGTH + frameLength;
            runFrames = 1;
            runBytes = frameLength;
        }
    }

    @Override
    public void bufferDone(ByteBuf buf) {
        endRun();
    }

    private void endRun() {
        if (runPort != null) {
            fabric.send(runPort, runBuffer.retainedSlice(runStart, runEnd - runStart), runFrames, runBytes);
            runPort = null;
            runBuffer = null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inBurst = false;
        if (burstFrames != 0) {
            port.counters.received(burstFrames, burstBytes);
            burstFrames = 0;
            burstBytes = 0;
        }
        if (burstFiltered != 0) {
            port.counters.dropped(DropReason.FILTERED, burstFiltered);
            burstFiltered = 0;
        }
        fabric.endBurst(port);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            fabric.resumeInputs(port);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FrameError error = splitter.finish();
        if (error != null && !broken) {
            broken = true;
            splitter.reject(ctx, error);
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
        LOG.debug("{}: closing after {}", port, cause.toString());
        ctx.close();
    }
}
