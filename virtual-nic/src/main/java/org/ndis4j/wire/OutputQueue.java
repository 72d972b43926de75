package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelPromise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The bounded output queue of one switch port or mirror session, as a hardware switch has one per
 * egress port: frames wait here until the socket takes them; a frame that does not fit is
 * tail-dropped and counted ({@link DropReason#BACKPRESSURE}); nothing upstream ever waits for it.
 *
 * <pre>
 * read buffer of an input:  [len|A→p2][len|B→p2][len|C→p3][len|D→p2]
 * p2's queue:  slice(A..B) → one write      p3's queue: slice(C)     p2: slice(D) → a second write
 * </pre>
 *
 * <p>Frames stay in their wire form (length prefix included) as retained slices of the input's
 * read buffer. Consecutive frames of one read buffer bound for this output form a <em>run</em> that
 * becomes one write. The queue is Netty's {@link ChannelOutboundBuffer} of the output channel, and
 * its size is counted as Netty counts it: frame bytes plus a fixed bookkeeping charge per write
 * ({@link #WRITE_OVERHEAD}), so the cap bounds memory even when every frame is its own write.
 *
 * <p>Each write carries a promise that tells, when the socket took it or the connection dropped it,
 * how many frames it held: transmitted and dropped counters are then exact, including the frames
 * still queued when a port is closed ({@link DropReason#CARRIER_DOWN} or
 * {@link DropReason#ADMIN_DOWN}). Confined to the switch's event loop, except the gauges, which
 * statistics read.
 */
final class OutputQueue {

    /** Netty's charge per queued write ({@code io.netty.transport.outboundBufferEntrySizeOverhead}). */
    static final int WRITE_OVERHEAD = 96;

    /** Where transmitted and dropped frames are counted; the fabric redirects it when a port slot goes away. */
    private TrafficCounters counters;

    private final long capacity;
    /** Tells, when a queued write is lost, whether the port was set down (else the carrier went). */
    private final BooleanSupplier adminDown;

    private Channel channel;
    /** Set while this queue is on the fabric's list of outputs touched by the current read buffer. */
    boolean touched;
    /** Flow control only: input ports that stopped reading until this queue drains. */
    final List<SwitchPort> pausedInputs = new ArrayList<>(2);
    /** False for mirror sessions: a slow mirror drops, it never pauses an input. */
    final boolean pausesInputs;

    /** The open run: frames [runStart, runEnd) of runBuffer, not written yet. */
    private ByteBuf runBuffer;

    private int runStart;
    private int runEnd;
    private int runFrames;
    private long runBytes;
    /** Room left in the queue for the open run, decided when the run started. */
    private long runSpace;

    /** Frames written to the channel whose fate is not known yet. */
    private volatile long queuedFrames;
    /** The most bytes ever queued at once: never above the capacity. */
    private volatile long peakBytes;

    OutputQueue(TrafficCounters counters, long capacity, boolean pausesInputs, BooleanSupplier adminDown) {
        this.counters = counters;
        this.capacity = capacity;
        this.pausesInputs = pausesInputs;
        this.adminDown = adminDown;
    }

    /** The connection frames go to now, or null. */
    Channel channel() {
        return channel;
    }

    void attach(Channel ch) {
        channel = ch;
    }

    void detach() {
        channel = null;
    }

    /** From now on, frames of this queue are counted in {@code sink} (its port slot went away). */
    void countInto(TrafficCounters sink) {
        counters = sink;
    }

    /**
     * Queues one frame whose 4-byte prefix starts at {@code prefixIndex} of {@code buf}, or drops it
     * when the queue has no room for it. The frame is written with the rest of its run at
     * {@link #writeRun()}, before {@code buf} is released.
     */
    void offer(ByteBuf buf, int prefixIndex, int frameLength) {
        int wire = FrameSplitter.PREFIX_LENGTH + frameLength;
        if (buf == runBuffer && prefixIndex == runEnd) {
            if (wire > runSpace) {
                counters.dropped(DropReason.BACKPRESSURE);
                return;
            }
            runEnd += wire;
            runFrames++;
            runBytes += frameLength;
            runSpace -= wire;
            return;
        }
        writeRun();
        long space = capacity - pendingBytes() - WRITE_OVERHEAD;
        if (wire > space) {
            counters.dropped(channel == null ? DropReason.CARRIER_DOWN : DropReason.BACKPRESSURE);
            return;
        }
        runBuffer = buf;
        runStart = prefixIndex;
        runEnd = prefixIndex + wire;
        runFrames = 1;
        runBytes = frameLength;
        runSpace = space - wire;
    }

    /** Writes the open run, if any, as one retained slice (no flush). */
    void writeRun() {
        ByteBuf buf = runBuffer;
        if (buf == null) {
            return;
        }
        runBuffer = null;
        Channel ch = channel;
        if (ch == null) {
            counters.dropped(DropReason.CARRIER_DOWN, runFrames);
            return;
        }
        queuedFrames += runFrames;
        ch.write(buf.retainedSlice(runStart, runEnd - runStart), Write.of(this, runFrames, runBytes));
        long pending = pendingBytes();
        if (pending > peakBytes) {
            peakBytes = pending;
        }
    }

    /** Puts what is queued on the socket (as much as it takes now; the rest follows as it drains). */
    void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    /** Bytes queued now, as Netty counts them; 0 without a connection. */
    long pendingBytes() {
        Channel ch = channel;
        ChannelOutboundBuffer b = ch == null ? null : ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    long queuedFrames() {
        return queuedFrames;
    }

    long peakBytes() {
        return peakBytes;
    }

    long capacity() {
        return capacity;
    }

    private void completed(Write w, boolean success) {
        queuedFrames -= w.frames;
        if (success) {
            counters.transmitted(w.frames, w.bytes);
        } else {
            counters.dropped(adminDown.getAsBoolean() ? DropReason.ADMIN_DOWN : DropReason.CARRIER_DOWN, w.frames);
        }
    }

    /**
     * One queued write and what it holds. Its own listener: one object per write (a write is a run
     * of frames, so this is not an allocation per frame when frames come in bursts).
     */
    private static final class Write extends DefaultChannelPromise implements ChannelFutureListener {
        private final OutputQueue queue;
        private final int frames;
        private final long bytes;

        private Write(OutputQueue queue, Channel channel, int frames, long bytes) {
            super(channel);
            this.queue = queue;
            this.frames = frames;
            this.bytes = bytes;
        }

        static Write of(OutputQueue queue, int frames, long bytes) {
            Write w = new Write(queue, queue.channel, frames, bytes);
            w.addListener(w);
            return w;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            queue.completed(this, future.isSuccess());
        }
    }
}
