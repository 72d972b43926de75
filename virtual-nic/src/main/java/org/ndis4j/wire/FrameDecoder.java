package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Decodes the QEMU stream framing (see {@link FrameSplitter} for the layout) into Ethernet frames:
 * each {@code channelRead} downstream is one frame (a retained slice, no length prefix, no copy),
 * and {@code channelReadComplete} ends the burst.
 *
 * <p>Broken input (length 0, shorter than an Ethernet header, above the maximum, a stream cut in a
 * frame) is logged, counted in {@link TrafficCounters#error} and closes this connection; nothing is
 * thrown down the pipeline and whatever arrives afterwards is released unread. Not sharable: it
 * holds the frame that straddles two reads.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter implements FrameSplitter.FrameSink {

    private final FrameSplitter splitter;
    private final TrafficCounters counters;
    private ChannelHandlerContext ctx;
    private boolean broken;
    /** This burst's received frames and bytes, added to the counters once per burst. */
    private long burstFrames;

    private long burstBytes;

    public FrameDecoder(int maxFrameLength, TrafficCounters counters) {
        this.splitter = new FrameSplitter(maxFrameLength, counters);
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (broken) {
            in.release();
            return;
        }
        FrameError error = splitter.split(in, ctx.alloc(), this);
        if (error != null) {
            broken = true;
            countBurst(); // the frames before the break count, even if no read-complete follows the close
            splitter.reject(ctx, error);
        }
    }

    @Override
    public void frame(ByteBuf buf, int prefixIndex, int frameLength) {
        burstFrames++;
        burstBytes += frameLength;
        ctx.fireChannelRead(buf.retainedSlice(prefixIndex + FrameSplitter.PREFIX_LENGTH, frameLength));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        countBurst();
        ctx.fireChannelReadComplete();
    }

    private void countBurst() {
        if (burstFrames != 0) {
            counters.received(burstFrames, burstBytes);
            burstFrames = 0;
            burstBytes = 0;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        countBurst();
        FrameError error = splitter.finish();
        if (error != null && !broken) {
            broken = true;
            splitter.reject(ctx, error);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        splitter.release();
    }
}
