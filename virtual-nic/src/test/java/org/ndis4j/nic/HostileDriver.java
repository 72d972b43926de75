package org.ndis4j.nic;

import static org.ndis4j.nic.regs.Registers.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The hostile driver of {@link HostileDriverFuzzTest}: each step, one thing a driver can do to its
 * NIC, chosen and filled in by the fuzzer's input — write or read any register, program a ring
 * anywhere, write descriptors and buffers, ring doorbells, reset and enable the units, free memory
 * under the device, talk to the PHY, pull the cable — while its wire peer sends frames and the
 * clock moves. It keeps what the checks need to know about the step (a reset, a ring reprogrammed,
 * tails refused, frames sent to it). Apart from the machine and the checks because this is the
 * input's side: what may happen, not what must hold.
 */
final class HostileDriver {

    private final HostileMachine machine;
    private final HostileValues values;

    private long framesToHostile;
    /** This step wrote a ring's base or size, or reset the device: head moved for another reason. */
    private boolean ringsReprogrammed;
    /** Tail writes of this step the device refused (at or beyond the ring's size): RING_ERRORS, no fault. */
    private int tailsRefused;

    HostileDriver(HostileMachine machine) {
        this.machine = machine;
        this.values = new HostileValues(machine);
    }

    /** Frames the wire peer sent to the hostile NIC so far. */
    long framesToHostile() {
        return framesToHostile;
    }

    /** This step wrote a ring's base or size, or reset the device. */
    boolean ringsReprogrammed() {
        return ringsReprogrammed;
    }

    /** Tail writes of this step the device refused. */
    int tailsRefused() {
        return tailsRefused;
    }

    /** Forgets the last step's bookkeeping. */
    void beginStep() {
        ringsReprogrammed = false;
        tailsRefused = 0;
    }

    /** One thing the driver does, as the input says. */
    void act(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 14)) {
            case 0 -> write(values.offset(data), values.value(data));
            case 1 -> machine.registers.read32(values.offset(data));
            case 2 -> programRing(data);
            case 3 -> writeDescriptor(data);
            case 4 -> fillBuffer(data);
            case 5 -> write(data.consumeBoolean() ? TX_TAIL : RX_TAIL, values.ringIndex(data));
            case 6 -> write(CTRL, data.consumeInt(0, CTRL_RESET | CTRL_RX_ENABLE | CTRL_TX_ENABLE));
            case 7 -> peerSends(data);
            case 8 ->
                machine.timer.advance(
                        data.consumeBoolean()
                                ? data.consumeLong(0, 3 * HostileMachine.PHY_NANOS)
                                : data.consumeLong(0, 70_000_000));
            case 9 -> {
                if (data.consumeBoolean()) {
                    machine.hostileWire.cut();
                } else {
                    machine.hostileWire.reconnect();
                }
            }
            case 10 -> reallocate(data);
            case 11 -> phyCommand(data);
            case 12 -> queueTransmits(data);
            case 13 -> postReceiveBuffers(data);
            default -> faultKnob(data);
        }
    }

    /**
     * What a driver's initialization does (datasheet section 12), so that inputs start from a
     * working device: a transmit ring of 64 descriptors, a receive ring of 8 with 7 buffers posted
     * (in the 64 KiB block), every frame accepted, every cause unmasked, both units on.
     */
    void bringUp() {
        List<SharedMemory> blocks = machine.hostileBus.given();
        program(TX_BASE_LO, blocks.get(1).physicalAddress(), 64);
        program(RX_BASE_LO, blocks.get(0).physicalAddress(), 8);
        ByteBuf rxRing = blocks.get(0).virtualAddress();
        SharedMemory buffers = blocks.get(2);
        for (int i = 0; i < 7; i++) {
            int at = ReceiveDescriptor.offset(i);
            rxRing.setLongLE(at + ReceiveDescriptor.ADDRESS_OFFSET, buffers.physicalAddress(2048 * i));
            rxRing.setShortLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, 2048);
        }
        write(RX_TAIL, 7);
        write(RCTL, RCTL_ALL);
        write(IMS, INT_ALL);
        write(CTRL, CTRL_RX_ENABLE | CTRL_TX_ENABLE);
    }

    private void program(int ring, long base, int size) {
        write(ring + RING_BASE_LO, (int) base);
        write(ring + RING_BASE_HI, (int) (base >>> 32));
        write(ring + RING_SIZE, size);
    }

    /** Writes 1 to 8 transmit descriptors from the tail on (any buffer, any length) and rings the doorbell. */
    private void queueTransmits(FuzzedDataProvider data) {
        fillFromTail(TX_BASE_LO, data, d -> {
            d.setLongLE(TransmitDescriptor.ADDRESS_OFFSET, values.bufferAddress(data));
            d.setShortLE(TransmitDescriptor.LENGTH_OFFSET, values.length(data));
            d.setByte(TransmitDescriptor.COMMAND_OFFSET, data.consumeInt(0, 1));
            d.setByte(TransmitDescriptor.STATUS_OFFSET, 0);
        });
    }

    /** Posts 1 to 8 receive buffers from the tail on (any address, any size) and moves the tail. */
    private void postReceiveBuffers(FuzzedDataProvider data) {
        fillFromTail(RX_BASE_LO, data, d -> {
            d.setLongLE(ReceiveDescriptor.ADDRESS_OFFSET, values.bufferAddress(data));
            d.setShortLE(ReceiveDescriptor.BUFFER_SIZE_OFFSET, values.length(data));
            d.setByte(ReceiveDescriptor.STATUS_OFFSET, 0);
        });
    }

    /**
     * Fills 1 to 8 descriptors of a ring from its tail on ({@code fill} skipped where the driver has
     * no memory of its own), then moves the tail past them.
     */
    private void fillFromTail(int ring, FuzzedDataProvider data, Consumer<ByteBuf> fill) {
        RingRegisters described = RingRegisters.read(machine.registers, ring);
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count; i++) {
            ByteBuf d = machine.driverView(described.slot(described.tail() + i), HardwareLimits.DESCRIPTOR_LENGTH);
            if (d != null) {
                fill.accept(d);
            }
        }
        write(ring + RING_TAIL, described.wrap(described.tail() + count));
    }

    /** A register write, with what it means for this step's checks (a reset, a ring reprogrammed, a tail refused). */
    private void write(int offset, int value) {
        if (offset == CTRL && (value & CTRL_RESET) != 0) {
            machine.keepCountersAcrossReset();
            ringsReprogrammed = true;
        }
        if ((offset >= TX_BASE_LO && offset <= TX_SIZE) || (offset >= RX_BASE_LO && offset <= RX_SIZE)) {
            ringsReprogrammed = true;
        }
        if ((offset == TX_TAIL || offset == RX_TAIL)
                && Integer.compareUnsigned(value, machine.registers.read32(offset - RING_TAIL + RING_SIZE)) >= 0) {
            tailsRefused++;
        }
        machine.registers.write32(offset, value);
    }

    private void programRing(FuzzedDataProvider data) {
        int ring = data.consumeBoolean() ? TX_BASE_LO : RX_BASE_LO;
        long base = data.consumeBoolean() ? values.ringBase(data) : values.address(data);
        int size = data.consumeBoolean() ? data.pickValue(HostileValues.RING_SIZES) : data.consumeInt();
        int which = data.consumeInt(0, 3);
        if (which != 2) {
            write(ring + RING_BASE_LO, (int) base);
        }
        if (which == 0 || which == 3) {
            write(ring + RING_BASE_HI, (int) (base >>> 32));
        }
        if (which <= 2) {
            write(ring + RING_SIZE, size);
        }
    }

    /** A descriptor in the current TX or RX ring, or 16 bytes anywhere in the driver's memory. */
    private void writeDescriptor(FuzzedDataProvider data) {
        long at;
        int target = data.consumeInt(0, 2);
        if (target < 2) {
            RingRegisters ring = RingRegisters.read(machine.registers, target == 0 ? TX_BASE_LO : RX_BASE_LO);
            int slots = Math.max(1, Math.min(ring.size(), HardwareLimits.MAX_RING_SIZE));
            at = ring.base() + (long) HardwareLimits.DESCRIPTOR_LENGTH * data.consumeInt(0, slots - 1);
        } else {
            SharedMemory block = values.pickBlock(data);
            at = block.physicalAddress() + data.consumeInt(0, block.length());
        }
        ByteBuf d = machine.driverView(at, HardwareLimits.DESCRIPTOR_LENGTH);
        if (d == null) {
            return;
        }
        d.setLongLE(TransmitDescriptor.ADDRESS_OFFSET, values.bufferAddress(data));
        d.setShortLE(TransmitDescriptor.LENGTH_OFFSET, values.length(data));
        // TX: command and status; RX: the frame length the device writes back
        d.setShortLE(
                TransmitDescriptor.COMMAND_OFFSET, data.consumeBoolean() ? data.consumeInt(0, 1) : data.consumeInt());
        d.setIntLE(ReceiveDescriptor.STATUS_OFFSET, data.consumeBoolean() ? 0 : data.consumeInt());
    }

    private void fillBuffer(FuzzedDataProvider data) {
        SharedMemory block = values.pickBlock(data);
        int offset = data.consumeInt(0, block.length() - 1);
        byte[] frame = Frames.frame(
                new MacAddress(values.destination(data)),
                HostileMachine.HOSTILE,
                HardwareLimits.MAX_FRAME_LENGTH,
                data.consumeInt());
        int length = Math.min(frame.length, block.length() - offset);
        block.virtualAddress().setBytes(offset, frame, 0, length);
    }

    private void peerSends(FuzzedDataProvider data) {
        int count = data.consumeInt(1, 8);
        byte[][] burst = new byte[count][];
        for (int i = 0; i < count; i++) {
            int length = data.consumeBoolean() ? data.pickValue(HostileValues.LENGTHS) : data.consumeInt(0, 1600);
            burst[i] = peerFrame(values.destination(data), Math.min(length, 1600), data.consumeInt());
        }
        framesToHostile += machine.hostilePeer.send(burst);
    }

    /** Frees one of the driver's blocks (the device may still use it) and allocates another. */
    private void reallocate(FuzzedDataProvider data) {
        machine.hostileBus.free(values.pickBlock(data));
        if (machine.hostileBus.allocate(data.pickValue(HostileValues.BLOCK_LENGTHS)) == null) {
            machine.hostileBus.allocate(16);
        }
    }

    private void phyCommand(FuzzedDataProvider data) {
        int op = data.consumeBoolean() ? MDIC_OP_WRITE : data.consumeInt(0, 3) << 26;
        int phy = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 31) : HardwareLimits.PHY_ADDRESS;
        int register = data.consumeBoolean() ? PhyRegisters.BMCR : data.consumeInt(0, 31);
        int value = data.pickValue(new int[] {
            PhyRegisters.BMCR_LOOPBACK,
            PhyRegisters.BMCR_POWER_DOWN,
            PhyRegisters.BMCR_RESET,
            PhyRegisters.BMCR_RESET_VALUE,
            PhyRegisters.BMCR_FULL_DUPLEX | PhyRegisters.BMCR_SPEED_LSB,
            data.consumeInt()
        });
        write(MDIC, op | phy << MDIC_PHY_SHIFT | register << MDIC_REG_SHIFT | (value & MDIC_DATA_MASK));
    }

    private void faultKnob(FuzzedDataProvider data) {
        FaultInjection faults = machine.hostile.faults();
        switch (data.consumeInt(0, 3)) {
            case 0 -> faults.failNextTransmits(data.consumeInt(0, 3));
            case 1 -> faults.dropNextReceived(data.consumeInt(0, 3));
            case 2 -> faults.pullCable();
            default -> faults.replugCable();
        }
    }

    private static byte[] peerFrame(long destination, int length, int seed) {
        byte[] frame = Frames.frame(new MacAddress(destination), Frames.PEER, Math.max(length, 14), seed);
        return length < 14 ? Arrays.copyOf(frame, length) : frame;
    }
}
