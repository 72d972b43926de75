package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A wire port's frames sent from threads other than its event loop, queued until the loop writes
 * them, bounded in bytes; and the one flush task that takes them to the loop. Shared by the TCP and
 * TAP ports, whose loops write what this queues.
 */
final class PendingFrames {

    private final EventLoop loop;
    private final Runnable flushOnLoop;
    private final BooleanSupplier closed;
    private final TrafficCounters counters;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    /** Guards itself and {@link #bytes}. */
    private final ArrayDeque<ByteBuf> frames = new ArrayDeque<>();

    private long bytes;

    /**
     * @param flushOnLoop the port's loop-side flush: it calls {@link #flushing()}, then {@link #poll()}s
     * @param closed the port's closed flag, read again under the lock {@link #dropAll()} drains under
     */
    PendingFrames(EventLoop loop, Runnable flushOnLoop, BooleanSupplier closed, TrafficCounters counters) {
        this.loop = loop;
        this.flushOnLoop = flushOnLoop;
        this.closed = closed;
        this.counters = counters;
    }

    /**
     * Queues {@code frame} when the port is open and {@code limit} bytes are not exceeded.
     *
     * @return null when queued; otherwise why not (the caller still owns the frame)
     */
    DropReason offer(ByteBuf frame, long limit) {
        int length = frame.readableBytes();
        synchronized (frames) {
            // Checked under the lock dropAll() drains under: nothing is queued after a close.
            if (closed.getAsBoolean()) {
                return DropReason.CARRIER_DOWN;
            }
            if (bytes + length > limit) {
                return DropReason.BACKPRESSURE;
            }
            frames.add(frame);
            bytes += length;
            return null;
        }
    }

    /** From another thread: runs the loop-side flush once, however many flushes ask for it. */
    void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(flushOnLoop);
            } catch (RejectedExecutionException loopGone) {
                flushScheduled.set(false);
                dropAll(); // the port was closed under us: nothing will ever write these
            }
        }
    }

    /** On the loop, first thing in a flush: a flush asked for from now on schedules a new task. */
    void flushing() {
        flushScheduled.set(false);
    }

    /** The oldest queued frame, or null. */
    ByteBuf poll() {
        synchronized (frames) {
            ByteBuf frame = frames.poll();
            if (frame != null) {
                bytes -= frame.readableBytes();
            }
            return frame;
        }
    }

    /** Releases and counts ({@link DropReason#CARRIER_DOWN}) what is queued, when no loop will write it. */
    void dropAll() {
        long lost = 0;
        synchronized (frames) {
            ByteBuf frame;
            while ((frame = frames.poll()) != null) {
                bytes -= frame.readableBytes();
                frame.release();
                lost++;
            }
        }
        if (lost != 0) {
            counters.dropped(DropReason.CARRIER_DOWN, lost);
        }
    }
}
