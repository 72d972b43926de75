package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * Two {@link WirePort}s joined back to back in memory, for deterministic tests: what one end sends
 * is delivered to the other end's listener on {@link WirePort#flush()}, on the flushing thread.
 * {@link #cut()} and {@link #reconnect()} pull and replug the cable.
 */
public final class InMemoryWire {

    /** Frames one end queues before the wire drops (the device's send queue). */
    public static final int DEFAULT_QUEUE_LIMIT = 1024;

    private final End a;
    private final End b;
    /** Guards the carrier state of both ends. */
    private final Object lock = new Object();

    private boolean carrier = true;

    private InMemoryWire(ByteBufAllocator alloc, int queueLimit) {
        a = new End(alloc, queueLimit);
        b = new End(alloc, queueLimit);
        a.peer = b;
        b.peer = a;
    }

    /** A connected pair with the default allocator and queue limit. */
    public static InMemoryWire pair() {
        return new InMemoryWire(ByteBufAllocator.DEFAULT, DEFAULT_QUEUE_LIMIT);
    }

    public static InMemoryWire pair(ByteBufAllocator alloc, int queueLimit) {
        return new InMemoryWire(alloc, queueLimit);
    }

    public WirePort a() {
        return a;
    }

    public WirePort b() {
        return b;
    }

    /** Pulls the cable: both ends see carrier down; queued frames are dropped. */
    public void cut() {
        setCarrier(false);
    }

    /** Plugs it back in: both ends see carrier up. */
    public void reconnect() {
        setCarrier(true);
    }

    private void setCarrier(boolean up) {
        synchronized (lock) {
            if (carrier == up) {
                return;
            }
            carrier = up;
        }
        for (End end : new End[] {a, b}) {
            if (!up) {
                end.drop();
            }
            WireListener l = end.listener;
            if (l != null && !end.closed) {
                l.carrierChanged(up);
            }
        }
    }

    private boolean carrier() {
        synchronized (lock) {
            return carrier;
        }
    }

    private final class End implements WirePort {
        private final ByteBufAllocator alloc;
        private final int queueLimit;
        /** Guarded by itself: frames sent but not yet flushed. */
        private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();

        private End peer;
        private volatile WireListener listener;
        private volatile boolean closed;

        End(ByteBufAllocator alloc, int queueLimit) {
            this.alloc = alloc;
            this.queueLimit = queueLimit;
        }

        @Override
        public void attach(WireListener l) {
            listener = l;
            if (isCarrierUp()) {
                l.carrierChanged(true);
            }
        }

        @Override
        public boolean send(ByteBuf frame) {
            if (!isCarrierUp() || !peer.isCarrierUp()) {
                frame.release();
                return false;
            }
            synchronized (queue) {
                // Checked again under the lock that cut() and close() drain under.
                if (!closed && carrier() && queue.size() < queueLimit) {
                    queue.add(frame);
                    return true;
                }
            }
            frame.release();
            return false;
        }

        @Override
        public void flush() {
            WireListener l = peer.listener;
            int delivered = 0;
            for (; ; ) {
                ByteBuf frame;
                synchronized (queue) {
                    frame = queue.poll();
                }
                if (frame == null) {
                    break;
                }
                if (l == null || peer.closed || !carrier()) {
                    frame.release();
                } else {
                    l.frameReceived(frame);
                    delivered++;
                }
            }
            if (delivered > 0) {
                l.receiveComplete();
            }
        }

        void drop() {
            synchronized (queue) {
                ByteBuf frame;
                while ((frame = queue.poll()) != null) {
                    frame.release();
                }
            }
        }

        @Override
        public boolean isCarrierUp() {
            return !closed && carrier();
        }

        @Override
        public ByteBufAllocator alloc() {
            return alloc;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            drop();
            WireListener mine = listener;
            if (mine != null) {
                mine.carrierChanged(false);
            }
            WireListener theirs = peer.listener;
            if (theirs != null && !peer.closed) {
                theirs.carrierChanged(false);
            }
        }
    }
}
