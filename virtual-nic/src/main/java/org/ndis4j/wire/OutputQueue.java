package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The bounded output queue of one switch port or mirror session, as a hardware switch has one per
 * egress port: frames wait here until the socket takes them; a frame that does not fit is
 * tail-dropped and counted, and nothing upstream ever waits for it.
 *
 * <pre>
 * read buffer of an input:  [len|A→p2][len|B→p2][len|C→p3][len|D→p2]
 * p2's queue:  slice(A..B) → one write      p3's queue: slice(C)     p2: slice(D) → a second write
 * </pre>
 *
 * <p>Storm control: a flooded frame (broadcast, multicast, unknown unicast) is admitted only while
 * the queue is below half its capacity; known unicast may use all of it. A broadcast storm then
 * never crowds unicast out of a port that reads.
 *
 * <p>Frames stay in their wire form (length prefix included) as retained slices of the input's
 * read buffer. Consecutive frames of one read buffer bound for this output form a <em>run</em> that
 * becomes one write. Each write is charged its bytes plus {@link #WRITE_OVERHEAD} for its
 * bookkeeping (what Netty charges too), against two limits: this queue's capacity (else
 * {@link DropReason#BACKPRESSURE}) and the switch's shared buffer (else
 * {@link DropReason#BUFFER_FULL}). So memory is bounded even when every frame is its own write.
 *
 * <p>Each write carries a promise that tells, when the socket took it or the connection dropped it,
 * how many frames it held (and, for a write dropped part way through, how many whole frames the
 * socket had already taken): transmitted and dropped counters are then exact, including the frames
 * still queued when a port is closed ({@link DropReason#CARRIER_DOWN} or
 * {@link DropReason#ADMIN_DOWN}). Confined to the switch's event loop, gauges included (statistics
 * are taken on the loop): nothing here is volatile, because it changes per frame.
 */
final class OutputQueue {

    /** The charge per write for its bookkeeping, as Netty's {@code outboundBufferEntrySizeOverhead}. */
    static final int WRITE_OVERHEAD = 96;

    /** Where transmitted and dropped frames are counted; the fabric redirects it when a port slot goes away. */
    private TrafficCounters counters;

    private final long capacity;
    private final SharedBuffer shared;
    /** Tells, when a queued write is lost, whether the port was set down (else the carrier went). */
    private final BooleanSupplier adminDown;

    private Channel channel;
    /** Set while this queue is on the fabric's list of outputs touched by the current read buffer. */
    boolean touched;
    /** Set while this queue is on the fabric's list of outputs to flush at the end of the read burst. */
    boolean flushPending;
    /** Flow control only: input ports that stopped reading until this queue drains. */
    final List<SwitchPort> pausedInputs = new ArrayList<>(2);
    /** False for mirror sessions: a slow mirror drops, it never pauses an input. */
    final boolean pausesInputs;

    /** The open run: frames [runStart, runEnd) of runBuffer, charged but not written yet. */
    private ByteBuf runBuffer;

    private int runStart;
    private int runEnd;
    private int runFrames;
    private long runBytes;

    /** Frames queued (written or in the open run) whose fate is not known yet. Gauges: read on the loop. */
    private long queuedFrames;
    /** Bytes charged to this queue now; never above the capacity. */
    private long queuedBytes;
    /** The most bytes ever charged at once. */
    private long peakBytes;

    OutputQueue(
            TrafficCounters counters,
            long capacity,
            SharedBuffer shared,
            boolean pausesInputs,
            BooleanSupplier adminDown) {
        this.counters = counters;
        this.capacity = capacity;
        this.shared = shared;
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
     * when it does not fit ({@code flooded}: when the queue is half full). The frame is written with
     * the rest of its run at {@link #writeRun()}, before {@code buf} is released.
     */
    void offer(ByteBuf buf, int prefixIndex, int frameLength, boolean flooded) {
        int wire = FrameSplitter.PREFIX_LENGTH + frameLength;
        boolean extendsRun = buf == runBuffer && prefixIndex == runEnd;
        int charge = extendsRun ? wire : wire + WRITE_OVERHEAD;
        if (charge > (flooded ? capacity / 2 : capacity) - queuedBytes) {
            counters.dropped(DropReason.BACKPRESSURE);
            return;
        }
        if (charge > shared.capacity - shared.used) {
            counters.dropped(DropReason.BUFFER_FULL);
            return;
        }
        if (!extendsRun) {
            writeRun();
            runBuffer = buf;
            runStart = prefixIndex;
            runEnd = prefixIndex;
        }
        runEnd += wire;
        runFrames++;
        runBytes += frameLength;
        queuedFrames++;
        long queued = queuedBytes + charge;
        queuedBytes = queued;
        shared.used += charge;
        if (queued > peakBytes) {
            peakBytes = queued;
        }
    }

    /** Writes the open run, if any, as one retained slice (no flush). */
    void writeRun() {
        ByteBuf buf = runBuffer;
        if (buf == null) {
            return;
        }
        runBuffer = null;
        int frames = runFrames;
        long charge = runEnd - runStart + WRITE_OVERHEAD;
        runFrames = 0;
        Channel ch = channel;
        if (ch == null) {
            release(frames, charge);
            counters.dropped(DropReason.CARRIER_DOWN, frames);
        } else {
            ByteBuf run = buf.retainedSlice(runStart, runEnd - runStart);
            ch.write(run.retain(), Write.of(this, ch, run, frames, runBytes, charge));
        }
        runBytes = 0;
    }

    /** Puts what is queued on the socket (as much as it takes now; the rest follows as it drains). */
    void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    long queuedFrames() {
        return queuedFrames;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    long capacity() {
        return capacity;
    }

    private void release(int frames, long charge) {
        queuedFrames -= frames;
        queuedBytes -= charge;
        shared.used -= charge;
    }

    private void completed(Write w, boolean success) {
        release(w.frames, w.charge);
        try {
            if (success) {
                counters.transmitted(w.frames, w.bytes);
            } else {
                int sent = countSent(w.run);
                int lost = w.frames - sent;
                if (lost > 0) {
                    counters.dropped(adminDown.getAsBoolean() ? DropReason.ADMIN_DOWN : DropReason.CARRIER_DOWN, lost);
                }
            }
        } finally {
            w.run.release();
        }
    }

    /**
     * A run the connection dropped part way through: the socket took its bytes up to the reader index
     * (Netty moves it as it writes), so the whole frames before it reached the peer. Counts them as
     * transmitted and returns how many.
     */
    private int countSent(ByteBuf run) {
        int written = run.readerIndex();
        int frames = 0;
        long bytes = 0;
        for (int i = 0; i + FrameSplitter.PREFIX_LENGTH <= written; ) {
            int length = run.getInt(i);
            int end = i + FrameSplitter.PREFIX_LENGTH + length;
            if (end > written) {
                break;
            }
            frames++;
            bytes += length;
            i = end;
        }
        if (frames > 0) {
            counters.transmitted(frames, bytes);
        }
        return frames;
    }

    /**
     * One queued write and what it holds. Its own listener: one object per write (a write is a run
     * of frames, so this is not an allocation per frame when frames come in bursts).
     */
    private static final class Write extends DefaultChannelPromise implements ChannelFutureListener {
        private final OutputQueue queue;
        /** The run written, retained until the write completes: a dropped write tells from it what was sent. */
        private final ByteBuf run;

        private final int frames;
        private final long bytes;
        private final long charge;

        private Write(OutputQueue queue, Channel channel, ByteBuf run, int frames, long bytes, long charge) {
            super(channel);
            this.queue = queue;
            this.run = run;
            this.frames = frames;
            this.bytes = bytes;
            this.charge = charge;
        }

        static Write of(OutputQueue queue, Channel channel, ByteBuf run, int frames, long bytes, long charge) {
            Write w = new Write(queue, channel, run, frames, bytes, charge);
            w.addListener(w);
            return w;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            queue.completed(this, future.isSuccess());
        }
    }
}
