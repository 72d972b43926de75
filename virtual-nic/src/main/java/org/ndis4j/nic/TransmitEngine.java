package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;
import org.ndis4j.wire.WirePort;

/**
 * The transmit unit: when the driver moves the tail (or enables transmit with descriptors pending),
 * sends every frame from head to tail ({@link TransmitDescriptor}), writes each descriptor's status
 * back and advances head.
 *
 * <pre>
 *  descriptor ─▶ 14..1518 bytes? ─▶ fault? ─▶ link up? ─▶ buffer in memory? ─▶ DMA copy ─▶ wire.send
 *                 │ no               │ yes     │ no        │ no                 (one copy)    │ refused
 *              ERR_LENGTH        ERR_FAULT  ERR_NO_CARRIER  ERR_DMA                       ERR_NO_CARRIER
 *  then: status |= DONE, head++ ; every TX_BURST_FRAMES frames and at the end: one wire.flush()
 *  TX_DONE is raised when a descriptor with REPORT_STATUS completes.
 * </pre>
 *
 * With the PHY in loopback, frames go to the device's own receive unit instead of the wire, and
 * the link need not be up. The copy buffer comes from the wire's allocator; the wire (or the
 * receive unit) owns it from then on. A bad descriptor never throws out of the device.
 */
final class TransmitEngine {

    private final BusMemory memory;
    private final WirePort wire;
    private final Phy phy;
    private final ReceiveEngine loopback;
    private final FaultInjection faults;
    private final Statistics statistics;

    /** Guards ring, enabled and the burst flags, and serialises transmission (wire order). */
    private final Object lock = new Object();

    private final DescriptorRing ring;
    private boolean enabled;
    /** Frames handed to the wire since the last flush. */
    private int unflushed;
    /** Frames looped back in this burst. */
    private boolean looped;

    TransmitEngine(
            BusMemory memory,
            WirePort wire,
            Phy phy,
            ReceiveEngine loopback,
            FaultInjection faults,
            Statistics statistics) {
        this.memory = memory;
        this.wire = wire;
        this.phy = phy;
        this.loopback = loopback;
        this.faults = faults;
        this.statistics = statistics;
        this.ring = new DescriptorRing(memory, statistics);
    }

    /** Writes a ring register; a tail write starts transmission. Returns the causes to signal. */
    int writeRegister(int register, int value) {
        synchronized (lock) {
            boolean tailMoved = ring.write(register, value);
            return tailMoved && enabled ? transmit() : 0;
        }
    }

    int readRegister(int register) {
        synchronized (lock) {
            return ring.read(register);
        }
    }

    /** Enables or disables the unit; enabling sends what is pending. Returns the causes to signal. */
    int setEnabled(boolean on) {
        synchronized (lock) {
            boolean wasEnabled = enabled;
            enabled = on;
            return on && !wasEnabled ? transmit() : 0;
        }
    }

    boolean isEnabled() {
        synchronized (lock) {
            return enabled;
        }
    }

    /** True while the ring is unusable (STATUS.TX_RING_ERROR). */
    boolean isRingFaulted() {
        synchronized (lock) {
            return ring.isFaulted();
        }
    }

    /** Device reset: disabled, ring unprogrammed. */
    void reset() {
        synchronized (lock) {
            enabled = false;
            ring.reset();
        }
    }

    /** Sends head .. tail-1. Under the lock. */
    private int transmit() {
        ByteBuf descriptors = ring.descriptors();
        if (descriptors == null) {
            return ring.takeFaultCause();
        }
        if (faults.isTransmitStalled()) {
            return 0; // a wedged unit leaves the descriptors where they are until a reset
        }
        int causes = 0;
        looped = false;
        try {
            while (!ring.isEmpty()) {
                int index = ring.head();
                int status = transmitOne(descriptors, index);
                writeStatus(descriptors, index, status | TransmitDescriptor.STATUS_DONE);
                if ((command(descriptors, index) & TransmitDescriptor.CMD_REPORT_STATUS) != 0) {
                    causes |= Registers.INT_TX_DONE;
                }
                ring.advanceHead();
                if (unflushed == HardwareLimits.TX_BURST_FRAMES) {
                    flush();
                }
            }
        } catch (IllegalReferenceCountException ringFreed) {
            ring.fail();
        } finally {
            flush();
        }
        if (looped) {
            causes |= loopback.takePendingCauses();
        }
        return causes | ring.takeFaultCause();
    }

    /** Sends one descriptor's frame. Returns the error status bits, 0 when sent. */
    private int transmitOne(ByteBuf descriptors, int index) {
        int length = length(descriptors, index);
        if (length < HardwareLimits.ETHERNET_HEADER_LENGTH || length > HardwareLimits.MAX_FRAME_LENGTH) {
            statistics.increment(StatisticsCounter.TX_LENGTH_ERRORS);
            return TransmitDescriptor.STATUS_ERR_LENGTH;
        }
        if (faults.takeTransmitFailure()) {
            statistics.increment(StatisticsCounter.TX_FAULT_ERRORS);
            return TransmitDescriptor.STATUS_ERR_FAULT;
        }
        boolean loopbackMode = phy.isLoopback();
        if (!loopbackMode && !phy.isLinkUp()) {
            statistics.increment(StatisticsCounter.TX_NO_CARRIER);
            return TransmitDescriptor.STATUS_ERR_NO_CARRIER;
        }
        ByteBuf frame = dmaCopy(bufferAddress(descriptors, index), length);
        if (frame == null) {
            statistics.increment(StatisticsCounter.TX_DMA_ERRORS);
            return TransmitDescriptor.STATUS_ERR_DMA;
        }
        if (loopbackMode) {
            looped = true;
            loopback.receive(frame);
        } else if (wire.send(frame)) {
            unflushed++;
        } else {
            statistics.increment(StatisticsCounter.TX_NO_CARRIER);
            return TransmitDescriptor.STATUS_ERR_NO_CARRIER;
        }
        statistics.increment(StatisticsCounter.TX_FRAMES);
        statistics.add(StatisticsCounter.TX_BYTES, length);
        return 0;
    }

    /** The one copy: bus memory into a buffer from the wire's allocator, or null for a bad address. */
    private ByteBuf dmaCopy(long address, int length) {
        ByteBuf frame = wire.alloc().buffer(length, length);
        try {
            memory.readInto(address, frame, length);
            return frame;
        } catch (IllegalArgumentException | IllegalReferenceCountException badAddress) {
            frame.release();
            return null;
        }
    }

    private void flush() {
        if (unflushed > 0) {
            unflushed = 0;
            wire.flush();
        }
    }

    // ---- the device's side of a transmit descriptor (layout: TransmitDescriptor) --------------

    private static long bufferAddress(ByteBuf ring, int index) {
        return ring.getLongLE(TransmitDescriptor.offset(index) + TransmitDescriptor.ADDRESS_OFFSET);
    }

    private static int length(ByteBuf ring, int index) {
        return ring.getUnsignedShortLE(TransmitDescriptor.offset(index) + TransmitDescriptor.LENGTH_OFFSET);
    }

    private static int command(ByteBuf ring, int index) {
        return ring.getUnsignedByte(TransmitDescriptor.offset(index) + TransmitDescriptor.COMMAND_OFFSET);
    }

    private static void writeStatus(ByteBuf ring, int index, int status) {
        ring.setByte(TransmitDescriptor.offset(index) + TransmitDescriptor.STATUS_OFFSET, status);
    }
}
