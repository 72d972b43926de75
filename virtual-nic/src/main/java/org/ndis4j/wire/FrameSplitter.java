package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TCP byte stream into frames of the QEMU stream framing, without copying frames that
 * arrive whole, and rejects broken streams.
 *
 * <pre>
 * +--------+--------+--------+--------+-------------------------------------+
 * |   length (32-bit, big-endian)     | Ethernet frame, no FCS (length bytes)|
 * +--------+--------+--------+--------+-------------------------------------+
 *  HEADER_LENGTH (14) &lt;= length &lt;= maxFrameLength
 * </pre>
 *
 * <p>Each complete frame is handed to a {@link FrameSink} as (buffer, index of its length prefix,
 * frame length); the sink retains what it keeps. Frames inside one read buffer stay there (the sink
 * slices them); only the frame that straddles two reads is copied, into a buffer that grows with
 * the bytes that actually arrived (never allocated at the announced length up front, so a peer that
 * announces a maximum-size frame and sends a few bytes costs a few bytes). So the copy per read is
 * at most one frame, not the whole cumulation as a {@code ByteToMessageDecoder} would do while
 * earlier slices are still retained.
 *
 * <p>One splitter per connection, used on its event loop only.
 */
final class FrameSplitter {

    /** Receives the frames of one read. */
    interface FrameSink {
        /**
         * One complete frame: its 4-byte length prefix starts at {@code prefixIndex} of {@code buf},
         * the Ethernet frame follows it. {@code buf} is valid for this call only: retain a slice.
         */
        void frame(ByteBuf buf, int prefixIndex, int frameLength);

        /** The splitter is about to release the buffer of the frames just delivered: last chance to slice. */
        default void bufferDone(ByteBuf buf) {}
    }

    static final int PREFIX_LENGTH = 4;
    /** The first allocation for a straddling frame; it grows (doubling) as its bytes arrive. */
    private static final int INITIAL_PARTIAL_CAPACITY = 256;

    private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(FrameSplitter.class));

    private final int maxFrameLength;
    private final TrafficCounters counters;
    /** The start of a frame that straddles reads (prefix included), or null. */
    private ByteBuf partial;
    /** The straddling frame's length, or -1 while its prefix is incomplete. */
    private int partialLength = -1;
    /** The offending length prefix of the last error, for the log. */
    private long badLength;

    FrameSplitter(int maxFrameLength, TrafficCounters counters) {
        this.maxFrameLength = EthernetFrames.checkMaxFrameLength(maxFrameLength);
        this.counters = counters;
    }

    /**
     * Splits one read. Consumes and releases {@code in}. Returns null, or the error that makes the
     * rest of the stream meaningless (the caller then calls {@link #reject}).
     */
    FrameError split(ByteBuf in, ByteBufAllocator alloc, FrameSink sink) {
        try {
            if (partial != null) {
                FrameError error = completePartial(in, alloc, sink);
                if (error != null || partial != null) {
                    return error;
                }
            }
            int ri = in.readerIndex();
            int wi = in.writerIndex();
            while (wi - ri >= PREFIX_LENGTH) {
                long length = in.getUnsignedInt(ri);
                FrameError error = FrameError.classify(length, maxFrameLength);
                if (error != null) {
                    badLength = length;
                    return error;
                }
                if (wi - ri - PREFIX_LENGTH < length) {
                    break;
                }
                sink.frame(in, ri, (int) length);
                ri += PREFIX_LENGTH + (int) length;
            }
            if (ri < wi) {
                stash(in, ri, wi - ri, alloc);
            }
            return null;
        } finally {
            sink.bufferDone(in);
            in.release();
        }
    }

    /** Keeps the start of a frame whose rest is in the next read(s). Its prefix was validated. */
    private void stash(ByteBuf in, int index, int count, ByteBufAllocator alloc) {
        if (count >= PREFIX_LENGTH) {
            partialLength = (int) in.getUnsignedInt(index);
            partial = growable(alloc, count, PREFIX_LENGTH + partialLength);
        } else {
            partialLength = -1;
            partial = alloc.buffer(PREFIX_LENGTH, PREFIX_LENGTH);
        }
        partial.writeBytes(in, index, count);
    }

    /** A buffer for a frame of {@code total} bytes of which {@code have} are here: sized for what is here. */
    private static ByteBuf growable(ByteBufAllocator alloc, int have, int total) {
        return alloc.buffer(Math.min(total, Math.max(have, INITIAL_PARTIAL_CAPACITY)), total);
    }

    /** True while the start of a frame is held, waiting for the rest. */
    boolean holdsPartial() {
        return partial != null;
    }

    private FrameError completePartial(ByteBuf in, ByteBufAllocator alloc, FrameSink sink) {
        if (partialLength < 0) {
            partial.writeBytes(in, Math.min(PREFIX_LENGTH - partial.readableBytes(), in.readableBytes()));
            if (partial.readableBytes() < PREFIX_LENGTH) {
                return null;
            }
            long length = partial.getUnsignedInt(0);
            FrameError error = FrameError.classify(length, maxFrameLength);
            if (error != null) {
                badLength = length;
                return error;
            }
            ByteBuf grown = growable(alloc, PREFIX_LENGTH + in.readableBytes(), PREFIX_LENGTH + (int) length);
            grown.writeBytes(partial);
            partial.release();
            partial = grown;
            partialLength = (int) length;
        }
        int missing = PREFIX_LENGTH + partialLength - partial.readableBytes();
        partial.writeBytes(in, Math.min(missing, in.readableBytes()));
        if (partial.readableBytes() == PREFIX_LENGTH + partialLength) {
            ByteBuf whole = partial;
            int length = partialLength;
            partial = null;
            partialLength = -1;
            try {
                sink.frame(whole, 0, length);
                sink.bufferDone(whole);
            } finally {
                whole.release();
            }
        }
        return null;
    }

    /** At the end of the stream: TRUNCATED when it stopped inside a frame, else null. */
    FrameError finish() {
        if (partial == null) {
            return null;
        }
        badLength = partialLength;
        release();
        return FrameError.TRUNCATED;
    }

    /** Gives up on a held partial frame that stopped arriving: STALLED (the caller then calls {@link #reject}). */
    FrameError stall() {
        badLength = partialLength;
        release();
        return FrameError.STALLED;
    }

    /** Frees a held partial frame (the connection is gone). */
    void release() {
        if (partial != null) {
            partial.release();
            partial = null;
            partialLength = -1;
        }
    }

    /** Counts and logs a broken stream and closes its connection; the other ports are untouched. */
    void reject(ChannelHandlerContext ctx, FrameError error) {
        release();
        counters.error(error);
        switch (error) {
            case TRUNCATED ->
                LOG.warn("{}: stream ended inside a frame (expected length {})", ctx.channel(), badLength);
            case STALLED ->
                LOG.warn(
                        "{}: closing: a frame of length {} stopped arriving half-way (partial-frame timeout)",
                        ctx.channel(),
                        badLength);
            case TOO_LONG ->
                LOG.warn(
                        "{}: closing: frame length {} exceeds the maximum {}",
                        ctx.channel(),
                        badLength,
                        maxFrameLength);
            default ->
                LOG.warn(
                        "{}: closing: frame length {} is {} (minimum {})",
                        ctx.channel(),
                        badLength,
                        error.name().toLowerCase(),
                        EthernetFrames.HEADER_LENGTH);
        }
        ctx.close();
    }
}
