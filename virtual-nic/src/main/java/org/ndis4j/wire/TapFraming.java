package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;

/**
 * Puts a {@link TapChannel} on the switch: the switch's ports speak QEMU stream framing, a TAP one
 * frame per read and write. Inbound, each frame gets its 4-byte length prefix (one small copy: a TAP
 * carries at most a few hundred thousand frames a second); outbound, each run of prefixed frames the
 * switch writes ({@link OutputQueue}) becomes one write per frame, and the run's promise completes
 * when all of them have.
 *
 * <pre>
 * inbound:   [frame]                    →  [len|frame]
 * outbound:  [len|A][len|B][len|C]      →  [A] [B] [C]   (slices, no copy)
 * </pre>
 */
final class TapFraming extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            int length = frame.readableBytes();
            ByteBuf framed = ctx.alloc().buffer(FrameSplitter.PREFIX_LENGTH + length);
            framed.writeInt(length).writeBytes(frame);
            ctx.fireChannelRead(framed);
        } finally {
            frame.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBuf run = (ByteBuf) msg;
        try {
            PromiseCombiner all = new PromiseCombiner(ctx.executor());
            while (run.readableBytes() >= FrameSplitter.PREFIX_LENGTH) {
                int length = run.readInt();
                all.add(ctx.write(run.readRetainedSlice(length)));
            }
            all.finish(promise);
        } finally {
            run.release();
        }
    }
}
