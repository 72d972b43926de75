package org.ndis4j.nic;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The smallest driver that works the device: programs the registers, fills the transmit ring, posts
 * receive buffers and reaps them, as a miniport's hardware-access file would, with no NDIS layer.
 * One buffer of {@link #BUFFER_SIZE} bytes per descriptor slot. Single-threaded, like a driver that
 * serialises its ring access.
 */
final class TestDriver implements AutoCloseable {

    static final int BUFFER_SIZE = 2048;

    /** A reaped receive descriptor. */
    record Received(byte[] data, int length, int status) {}

    final VirtualNic nic;
    final RegisterSpace registers;
    final BusMemory memory;
    final int ringSize;
    final SharedMemory txRing;
    final SharedMemory rxRing;
    private final SharedMemory[] txBuffers;
    private final SharedMemory[] rxBuffers;
    private int txTail;
    private int rxTail;
    private int rxNext;

    TestDriver(VirtualNic nic, int ringSize) {
        this.nic = nic;
        this.registers = nic.resources().registers();
        this.memory = nic.resources().memory();
        this.ringSize = ringSize;
        txRing = memory.allocate(ringSize * HardwareLimits.DESCRIPTOR_LENGTH);
        rxRing = memory.allocate(ringSize * HardwareLimits.DESCRIPTOR_LENGTH);
        txBuffers = new SharedMemory[ringSize];
        rxBuffers = new SharedMemory[ringSize];
        for (int i = 0; i < ringSize; i++) {
            txBuffers[i] = memory.allocate(BUFFER_SIZE);
            rxBuffers[i] = memory.allocate(BUFFER_SIZE);
        }
        programRings();
    }

    /** Writes ring base and size registers (after a reset, too). */
    void programRings() {
        programRing(Registers.TX_BASE_LO, txRing);
        programRing(Registers.RX_BASE_LO, rxRing);
        txTail = 0;
        rxTail = 0;
        rxNext = 0;
    }

    private void programRing(int baseLo, SharedMemory ring) {
        registers.write32(baseLo, (int) ring.physicalAddress());
        registers.write32(baseLo + 4, (int) (ring.physicalAddress() >>> 32));
        registers.write32(baseLo + 8, ringSize);
    }

    /** Clears causes left from power-up (the link came up), sets the filter, enables both units. */
    void start(int receiveControl) {
        readCause();
        registers.write32(Registers.RCTL, receiveControl);
        registers.write32(Registers.CTRL, Registers.CTRL_RX_ENABLE | Registers.CTRL_TX_ENABLE);
    }

    // ---- transmit ----

    /** Puts a frame in the next transmit slot without telling the device. Returns the slot. */
    int queueTransmit(byte[] frame) {
        return queueTransmit(frame, TransmitDescriptor.CMD_REPORT_STATUS);
    }

    int queueTransmit(byte[] frame, int command) {
        SharedMemory buffer = txBuffers[txTail];
        buffer.virtualAddress().setBytes(0, frame);
        return queueDescriptor(buffer.physicalAddress(), frame.length, command);
    }

    /** Puts an arbitrary descriptor (possibly a bad one) in the next transmit slot. */
    int queueDescriptor(long address, int length, int command) {
        ByteBuf ring = txRing.virtualAddress();
        int at = TransmitDescriptor.offset(txTail);
        ring.setLongLE(at + TransmitDescriptor.ADDRESS_OFFSET, address);
        ring.setShortLE(at + TransmitDescriptor.LENGTH_OFFSET, length);
        ring.setByte(at + TransmitDescriptor.COMMAND_OFFSET, command);
        ring.setByte(at + TransmitDescriptor.STATUS_OFFSET, 0);
        int slot = txTail;
        txTail = (txTail + 1) % ringSize;
        return slot;
    }

    /** Writes the transmit tail: the device sends everything queued. */
    void kickTransmit() {
        registers.write32(Registers.TX_TAIL, txTail);
    }

    /**
     * Waits until the device has taken every descriptor written so far (TX_HEAD reached the tail): on a
     * wire with an event loop the transmit unit runs there, after the tail write returns, and a slot
     * may be written again only once the device is done with it.
     */
    void awaitTransmitted(Duration timeout) {
        Await.until("the transmit ring drained", timeout, () -> registers.read32(Registers.TX_HEAD) == txTail);
    }

    int transmit(byte[] frame) {
        int slot = queueTransmit(frame);
        kickTransmit();
        return slot;
    }

    int transmitStatus(int slot) {
        return txRing.virtualAddress()
                .getUnsignedByte(TransmitDescriptor.offset(slot) + TransmitDescriptor.STATUS_OFFSET);
    }

    // ---- receive ----

    /** Posts {@code count} buffers of {@code size} bytes and writes the receive tail once. */
    void postReceiveBuffers(int count, int size) {
        ByteBuf ring = rxRing.virtualAddress();
        for (int i = 0; i < count; i++) {
            int at = ReceiveDescriptor.offset(rxTail);
            ring.setLongLE(at + ReceiveDescriptor.ADDRESS_OFFSET, rxBuffers[rxTail].physicalAddress());
            ring.setShortLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, size);
            ring.setShortLE(at + ReceiveDescriptor.FRAME_LENGTH_OFFSET, 0);
            ring.setByte(at + ReceiveDescriptor.STATUS_OFFSET, 0);
            rxTail = (rxTail + 1) % ringSize;
        }
        registers.write32(Registers.RX_TAIL, rxTail);
    }

    void postReceiveBuffers(int count) {
        postReceiveBuffers(count, BUFFER_SIZE);
    }

    /** Posts a descriptor with an arbitrary buffer address. */
    void postReceiveDescriptor(long address, int size) {
        ByteBuf ring = rxRing.virtualAddress();
        int at = ReceiveDescriptor.offset(rxTail);
        ring.setLongLE(at + ReceiveDescriptor.ADDRESS_OFFSET, address);
        ring.setShortLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, size);
        ring.setByte(at + ReceiveDescriptor.STATUS_OFFSET, 0);
        rxTail = (rxTail + 1) % ringSize;
        registers.write32(Registers.RX_TAIL, rxTail);
    }

    /**
     * Reaps every descriptor the device has finished. Reads RX_HEAD first, as a driver must before it
     * trusts descriptor memory, and then only descriptors before head.
     */
    List<Received> reap() {
        int head = registers.read32(Registers.RX_HEAD);
        ByteBuf ring = rxRing.virtualAddress();
        List<Received> frames = new ArrayList<>();
        while (rxNext != head) {
            int at = ReceiveDescriptor.offset(rxNext);
            int status = ring.getUnsignedByte(at + ReceiveDescriptor.STATUS_OFFSET);
            int length = ring.getUnsignedShortLE(at + ReceiveDescriptor.FRAME_LENGTH_OFFSET);
            byte[] data = new byte[0];
            if ((status & (ReceiveDescriptor.STATUS_ERR_TOO_SMALL | ReceiveDescriptor.STATUS_ERR_DMA)) == 0) {
                data = new byte[length];
                rxBuffers[rxNext].virtualAddress().getBytes(0, data);
            }
            frames.add(new Received(data, length, status));
            rxNext = (rxNext + 1) % ringSize;
        }
        return frames;
    }

    // ---- interrupts and PHY ----

    int readCause() {
        return registers.read32(Registers.ICR);
    }

    void unmask(int causes) {
        registers.write32(Registers.IMS, causes);
    }

    void mask(int causes) {
        registers.write32(Registers.IMC, causes);
    }

    /** Starts a PHY register read; the caller lets PHY time pass and then {@link #phyResult()}. */
    void startPhyRead(int phyRegister) {
        registers.write32(
                Registers.MDIC,
                Registers.MDIC_OP_READ
                        | (HardwareLimits.PHY_ADDRESS << Registers.MDIC_PHY_SHIFT)
                        | (phyRegister << Registers.MDIC_REG_SHIFT));
    }

    void startPhyWrite(int phyRegister, int value) {
        registers.write32(
                Registers.MDIC,
                Registers.MDIC_OP_WRITE
                        | (HardwareLimits.PHY_ADDRESS << Registers.MDIC_PHY_SHIFT)
                        | (phyRegister << Registers.MDIC_REG_SHIFT)
                        | (value & 0xFFFF));
    }

    int phyResult() {
        return registers.read32(Registers.MDIC);
    }

    /** Reads a PHY register in virtual time: start, let the access time pass, read MDIC. */
    int phyRead(int phyRegister, ManualDeviceTimer timer, long accessNanos) {
        startPhyRead(phyRegister);
        timer.advance(accessNanos);
        int mdic = phyResult();
        if ((mdic & Registers.MDIC_READY) == 0) {
            throw new AssertionError("PHY read not complete after its access time: 0x" + Integer.toHexString(mdic));
        }
        return mdic & Registers.MDIC_DATA_MASK;
    }

    void phyWrite(int phyRegister, int value, ManualDeviceTimer timer, long accessNanos) {
        startPhyWrite(phyRegister, value);
        timer.advance(accessNanos);
        if ((phyResult() & Registers.MDIC_READY) == 0) {
            throw new AssertionError("PHY write not complete after its access time");
        }
    }

    long counter(StatisticsCounter counter) {
        return nic.statistics().get(counter);
    }

    /** Frees every block this driver allocated (the halt path). */
    @Override
    public void close() {
        memory.free(txRing);
        memory.free(rxRing);
        for (int i = 0; i < ringSize; i++) {
            memory.free(txBuffers[i]);
            memory.free(rxBuffers[i]);
        }
    }
}
