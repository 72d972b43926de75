package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Encodes Ethernet frames into the QEMU stream framing (see {@link FrameSplitter} for the layout) on
 * the way out: each frame's 4-byte big-endian length and its bytes are appended to one buffer per
 * burst (it starts at {@link #FIRST_CAPACITY} and grows to {@link #BURST_CAPACITY}), written when the
 * burst is flushed (or the buffer is full), and the frame is released at once.
 *
 * <p>Why not a prefix buffer per frame ({@code LengthFieldPrepender}): that is two messages a frame in
 * the channel's outbound buffer, an allocation, two entries, two I/O vectors and two releases each,
 * which was a third of a NIC's event loop at 64 bytes; a copy of the frame into the burst costs less
 * at every frame size the wire carries. The same bytes go on the wire.
 *
 * <p>A write with a real promise (not the channel's void promise) is written at once with the burst
 * so far, so that its promise completes when its bytes are written. Not sharable: it holds the burst.
 */
final class FrameEncoder extends ChannelOutboundHandlerAdapter {

    /**
     * A burst buffer's largest capacity: a longer burst is written in pieces of up to this size (or
     * one frame, if longer).
     */
    static final int BURST_CAPACITY = 16 * 1024;
    /** A burst buffer's first capacity: a burst of one small frame, the common case at low rates, needs no more. */
    static final int FIRST_CAPACITY = 2048;

    private ByteBuf burst;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            int length = frame.readableBytes();
            int needed = FrameSplitter.PREFIX_LENGTH + length;
            if (burst != null && burst.maxWritableBytes() < needed) {
                writeBurst(ctx);
            }
            if (burst == null) {
                int max = Math.max(BURST_CAPACITY, needed);
                burst = ctx.alloc().directBuffer(Math.min(FIRST_CAPACITY, max), max);
            }
            burst.writeInt(length);
            burst.writeBytes(frame, frame.readerIndex(), length);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        } finally {
            frame.release();
        }
        if (!promise.isVoid()) {
            ctx.write(burst, promise);
            burst = null;
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (burst != null) {
            writeBurst(ctx);
        }
        ctx.flush();
    }

    private void writeBurst(ChannelHandlerContext ctx) {
        ByteBuf b = burst;
        burst = null;
        ctx.write(b, ctx.voidPromise());
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        releaseBurst();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBurst();
    }

    /** Frames written but never flushed when the channel closes are dropped, as unsent frames are. */
    private void releaseBurst() {
        if (burst != null) {
            burst.release();
            burst = null;
        }
    }
}
