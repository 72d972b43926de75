package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * One end of an Ethernet wire, as a device sees it: frames go out through {@link #send} and
 * {@link #flush}, frames and carrier changes come in through the attached {@link WireListener}.
 *
 * <p>Implementations: the TCP wire (QEMU stream framing) and {@link InMemoryWire} for deterministic
 * tests. Both behave the same towards the device.
 */
public interface WirePort extends AutoCloseable {

    /** Attaches the device. Frames and carrier changes are delivered on the wire's own thread. */
    void attach(WireListener listener);

    /**
     * Queues one Ethernet frame (no FCS) for the wire, which takes ownership of it. Returns false,
     * after releasing the frame, when the wire dropped it (carrier down, or the peer is too slow and
     * the queue is full); the device counts that.
     */
    boolean send(ByteBuf frame);

    /** Ends a burst: puts everything queued by {@link #send} on the wire. */
    void flush();

    /** True while the wire is connected (carrier). */
    boolean isCarrierUp();

    /** The allocator frames for this wire should come from. */
    ByteBufAllocator alloc();

    /**
     * The event loop the wire's I/O runs on, or null when it has none. A device runs its transmit
     * unit there when the driver rings the doorbell from another thread, as a NIC's DMA engine runs
     * apart from the processor that wrote its tail register: frames are then written where the
     * channel lives, and the writer's spin lock is not held across the copy and the send. Without a
     * loop (the in-memory wire) the unit runs on the writer's thread, as deterministic tests expect.
     */
    default EventLoop eventLoop() {
        return null;
    }

    /** Disconnects for good; the listener sees carrier down. */
    @Override
    void close();
}
