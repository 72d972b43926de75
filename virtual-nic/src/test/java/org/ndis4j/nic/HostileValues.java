package org.ndis4j.nic;

import static org.ndis4j.nic.regs.Registers.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The values the {@link HostileDriver} picks from the fuzzer's input: register offsets, register
 * values, ring sizes and bases, ring indexes, lengths, buffer addresses and destination addresses,
 * each either one of the interesting values (the edges the device must handle) or anything at all.
 * Apart from the driver because these are the input's vocabulary, shared by all its actions; one
 * rule holds for every address: it never points into memory the driver was not given.
 */
final class HostileValues {

    private static final int[] REGISTERS = {
        CTRL,
        STATUS,
        ICR,
        ICS,
        IMS,
        IMC,
        ITR,
        RCTL,
        RAL,
        RAH,
        MDIC,
        TX_BASE_LO,
        TX_BASE_HI,
        TX_SIZE,
        TX_HEAD,
        TX_TAIL,
        RX_BASE_LO,
        RX_BASE_HI,
        RX_SIZE,
        RX_HEAD,
        RX_TAIL,
        mtaLo(0),
        mtaHi(0),
        mtaHi(HardwareLimits.MULTICAST_TABLE_ENTRIES - 1),
        statsLo(StatisticsCounter.RX_FRAMES),
        statsHi(StatisticsCounter.BAD_REGISTER_ACCESSES),
        HardwareLimits.REGISTER_SPACE_LENGTH - 4
    };
    private static final int[] VALUES = {0, 1, 2, 3, 4, 6, 7, 0xF, 0x1F, 0xFF, 0xFFFF, 0x8000_0000, -1};
    static final int[] RING_SIZES = {0, 1, 7, 8, 9, 16, 24, 64, 4096, 4097, 8192, 0x1_0000, -1, 0x8000_0000};
    static final int[] LENGTHS = {0, 1, 13, 14, 15, 60, 64, 1514, 1518, 1519, 2047, 2048, 4096, 0xFFFF};
    static final int[] BLOCK_LENGTHS = {16, 60, 128, 1024, 2048, 4096, 65536};
    private static final long[] ADDRESSES = {
        0, 1, 16, 0xFFFF_FFF0L, 0xFFFF_FFFFL, 1L << 32, -1, -16, Long.MIN_VALUE, Long.MAX_VALUE - 15, Long.MAX_VALUE
    };
    /** Far above anything a bump-allocated bus hands out: an address no block holds. */
    private static final long UNALLOCATED = 0x7000_0000_0000L;

    private final HostileMachine machine;

    HostileValues(HostileMachine machine) {
        this.machine = machine;
    }

    int offset(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0, 1 -> data.pickValue(REGISTERS);
            case 2 -> data.consumeInt(0, HardwareLimits.REGISTER_SPACE_LENGTH + 8);
            default -> data.consumeInt();
        };
    }

    int value(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeInt();
    }

    int length(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.pickValue(LENGTHS) : data.consumeInt(0, 0xFFFF);
    }

    int ringIndex(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0, 1 -> data.consumeInt(0, 9);
            case 2 -> data.pickValue(RING_SIZES) + data.consumeInt(-1, 1);
            default -> data.consumeInt();
        };
    }

    long ringBase(FuzzedDataProvider data) {
        SharedMemory block = pickBlock(data);
        return block.physicalAddress()
                + (long) HardwareLimits.RING_ALIGNMENT
                        * data.consumeInt(0, block.length() / HardwareLimits.RING_ALIGNMENT);
    }

    long bufferAddress(FuzzedDataProvider data) {
        if (data.consumeInt(0, 3) == 0) {
            return address(data);
        }
        SharedMemory block = pickBlock(data);
        return block.physicalAddress() + data.consumeInt(0, block.length() + 16);
    }

    /**
     * Any address: in the driver's memory, just before or after it, special values, anything. Never
     * one inside memory the driver was not given (a device DMAs wherever its driver points it; the
     * property is that it goes nowhere else).
     */
    long address(FuzzedDataProvider data) {
        long address = switch (data.consumeInt(0, 4)) {
            case 0 -> {
                SharedMemory block = pickBlock(data);
                yield block.physicalAddress() + data.consumeInt(0, block.length() + 64);
            }
            case 1 -> pickBlock(data).physicalAddress() - data.consumeInt(1, 64);
            case 2, 3 -> data.pickValue(ADDRESSES);
            default -> data.consumeLong();
        };
        boolean foreign = false;
        for (SharedMemory block : machine.allBlocks()) {
            long offset = address - block.physicalAddress();
            foreign |= offset >= 0
                    && offset < block.length()
                    && !machine.hostileBus.given().contains(block);
        }
        return foreign ? UNALLOCATED + (address & 0xFFF) : address;
    }

    SharedMemory pickBlock(FuzzedDataProvider data) {
        return data.pickValue(machine.hostileBus.given());
    }

    long destination(FuzzedDataProvider data) {
        long station = MacAddress.valueFromRegisters(machine.registers.read32(RAL), machine.registers.read32(RAH));
        return data.pickValue(new long[] {
            station,
            HostileMachine.HOSTILE.value(),
            MacAddress.BROADCAST.value(),
            HostileMachine.GROUP.value(),
            HostileMachine.NEIGHBOUR.value(),
            Frames.PEER.value()
        });
    }
}
