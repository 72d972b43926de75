package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The receive unit: takes frames from the wire (or the PHY's loopback), filters them and DMAs each
 * into the next buffer the driver posted in the receive ring ({@link ReceiveDescriptor}).
 *
 * <pre>
 *  wire frame ─▶ enabled? ─▶ fault drop? ─▶ 14..1518 bytes? ─▶ filter ─▶ buffer posted? ─▶ DMA copy
 *                 │ no          │ yes          │ no               │ reject   │ no             │
 *              RX_DISABLED  RX_FAULT_DROPS  RX_LENGTH_ERRORS  RX_FILTERED  RX_NO_BUFFER    write back
 *                                                                          + RX_OVERRUN   length, DONE
 *                                                                                          + RX cause
 * </pre>
 *
 * The frame is released in every case. Causes collect until the end of the wire's burst
 * ({@link #takePendingCauses()}), so a burst costs one interrupt. Per frame this allocates nothing
 * beyond the bus's view of the buffer.
 */
final class ReceiveEngine {

    private final BusMemory memory;
    private final ReceiveFilter filter;
    private final FaultInjection faults;
    private final Statistics statistics;

    /** Guards ring, enabled and pendingCauses, and serialises deliveries. */
    private final Object lock = new Object();

    private final DescriptorRing ring;
    private boolean enabled;
    private int pendingCauses;

    ReceiveEngine(BusMemory memory, ReceiveFilter filter, FaultInjection faults, Statistics statistics) {
        this.memory = memory;
        this.filter = filter;
        this.faults = faults;
        this.statistics = statistics;
        this.ring = new DescriptorRing(memory, statistics);
    }

    /** A frame arrived; the engine owns it and releases it. Any thread. */
    void receive(ByteBuf frame) {
        try {
            synchronized (lock) {
                deliver(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void deliver(ByteBuf frame) {
        if (!enabled) {
            statistics.increment(StatisticsCounter.RX_DISABLED);
            return;
        }
        if (faults.takeReceiveDrop()) {
            statistics.increment(StatisticsCounter.RX_FAULT_DROPS);
            return;
        }
        int length = frame.readableBytes();
        if (length < HardwareLimits.ETHERNET_HEADER_LENGTH || length > HardwareLimits.MAX_FRAME_LENGTH) {
            statistics.increment(StatisticsCounter.RX_LENGTH_ERRORS);
            return;
        }
        int status = filter.classify(frame);
        if (status == ReceiveFilter.REJECTED) {
            statistics.increment(StatisticsCounter.RX_FILTERED);
            return;
        }
        ByteBuf descriptors = ring.descriptors();
        if (descriptors == null || ring.isEmpty()) {
            noBuffer();
            return;
        }
        int index = ring.head();
        try {
            status |= copyToBuffer(frame, length, status, descriptors, index);
            writeBack(descriptors, index, length, status | ReceiveDescriptor.STATUS_DONE);
        } catch (IllegalReferenceCountException ringFreed) {
            ring.fail();
            noBuffer(); // the frame is missed like any frame without a usable buffer, and counted once
            return;
        }
        ring.advanceHead();
        pendingCauses |= Registers.INT_RX;
    }

    /**
     * The DMA: copies the frame into the buffer of descriptor {@code index} and counts the outcome.
     * Returns the error status bits, 0 on success. {@code destination} is the filter's
     * BROADCAST/MULTICAST status for the frame.
     */
    private int copyToBuffer(ByteBuf frame, int length, int destination, ByteBuf descriptors, int index) {
        if (length > bufferSize(descriptors, index)) {
            statistics.increment(StatisticsCounter.RX_BUFFER_TOO_SMALL);
            return ReceiveDescriptor.STATUS_ERR_TOO_SMALL;
        }
        try {
            memory.writeFrom(bufferAddress(descriptors, index), frame, frame.readerIndex(), length);
        } catch (IllegalArgumentException | IllegalReferenceCountException badAddress) {
            statistics.increment(StatisticsCounter.RX_DMA_ERRORS);
            return ReceiveDescriptor.STATUS_ERR_DMA;
        }
        statistics.increment(StatisticsCounter.RX_FRAMES);
        statistics.add(StatisticsCounter.RX_BYTES, length);
        if (destination == ReceiveDescriptor.STATUS_BROADCAST) {
            statistics.increment(StatisticsCounter.RX_BROADCAST);
        } else if (destination == ReceiveDescriptor.STATUS_MULTICAST) {
            statistics.increment(StatisticsCounter.RX_MULTICAST);
        }
        return 0;
    }

    /** A frame missed for want of a usable buffer: counted, RX_OVERRUN (and RING_ERROR once for a dead ring). */
    private void noBuffer() {
        statistics.increment(StatisticsCounter.RX_NO_BUFFER);
        pendingCauses |= Registers.INT_RX_OVERRUN | ring.takeFaultCause();
    }

    /** The causes collected since the last call: RX, RX_OVERRUN and RING_ERROR. */
    int takePendingCauses() {
        synchronized (lock) {
            int causes = pendingCauses;
            pendingCauses = 0;
            return causes;
        }
    }

    void setEnabled(boolean on) {
        synchronized (lock) {
            enabled = on;
        }
    }

    boolean isEnabled() {
        synchronized (lock) {
            return enabled;
        }
    }

    /** True while the ring is unusable (STATUS.RX_RING_ERROR). */
    boolean isRingFaulted() {
        synchronized (lock) {
            return ring.isFaulted();
        }
    }

    int readRegister(int register) {
        synchronized (lock) {
            return ring.read(register);
        }
    }

    void writeRegister(int register, int value) {
        synchronized (lock) {
            ring.write(register, value);
        }
    }

    /** Device reset: disabled, ring unprogrammed, no causes pending. */
    void reset() {
        synchronized (lock) {
            enabled = false;
            ring.reset();
            pendingCauses = 0;
        }
    }

    // ---- the device's side of a receive descriptor (layout: ReceiveDescriptor) ----------------

    private static long bufferAddress(ByteBuf ring, int index) {
        return ring.getLongLE(ReceiveDescriptor.offset(index) + ReceiveDescriptor.ADDRESS_OFFSET);
    }

    private static int bufferSize(ByteBuf ring, int index) {
        return ring.getUnsignedShortLE(ReceiveDescriptor.offset(index) + ReceiveDescriptor.BUFFER_SIZE_OFFSET);
    }

    /** Writes back frame length and status; status last, as hardware writes the DONE bit last. */
    private static void writeBack(ByteBuf ring, int index, int frameLength, int status) {
        ring.setShortLE(ReceiveDescriptor.offset(index) + ReceiveDescriptor.FRAME_LENGTH_OFFSET, frameLength);
        ring.setByte(ReceiveDescriptor.offset(index) + ReceiveDescriptor.STATUS_OFFSET, status);
    }
}
