package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.nic.regs.Registers.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.util.LeakPresenceDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;
import org.ndis4j.wire.InMemoryWire;

/**
 * Coverage-guided fuzzing of the NIC's driver-facing interface: a hostile driver writes any register
 * at any offset with any value, programs rings anywhere (any base, any size, head and tail anywhere),
 * writes descriptors with any address and length, rings doorbells, resets and enables the units,
 * frees memory under the device, talks to its PHY, while its wire peer sends frames of any length and
 * the clock moves. Two NICs share one bus, with canary blocks between their memory; the neighbour is
 * driven correctly. After every step:
 *
 * <ul>
 *   <li>no exception escaped the device (a register access, a frame from the wire, a timer);</li>
 *   <li>neither device DMA'd outside the memory its driver allocated ({@link BusAnalyser}), and
 *       every canary is intact;</li>
 *   <li>faults became status and counters: each descriptor the device consumed has DONE and at most
 *       one error bit, and the counters moved by exactly those outcomes; a ring that became unusable
 *       is flagged in STATUS (and cannot be mapped), and stays flagged until reprogrammed; every frame
 *       from the wire (or the PHY loopback) is counted once; every raise of the line is counted;</li>
 *   <li>head and tail stay inside a usable ring;</li>
 *   <li>the neighbour still exchanges a numbered frame each way, with no error counted.</li>
 * </ul>
 *
 * Deterministic: {@link InMemoryWire} delivers on the sender's thread, the {@link ManualDeviceTimer}
 * moves only when the input says so. Regression inputs live in
 * {@code src/test/resources/org/ndis4j/nic/HostileDriverFuzzTestInputs/}.
 */
class HostileDriverFuzzTest {

    private static final int MAX_STEPS = 64;
    private static final long PHY_NANOS = 1_000;
    private static final MacAddress HOSTILE = MacAddress.of("02:4e:44:00:0f:01");
    private static final MacAddress NEIGHBOUR = MacAddress.of("02:4e:44:00:0f:02");
    private static final MacAddress GROUP = MacAddress.of("01:00:5e:00:00:fb");
    private static final int NEIGHBOUR_RING = 8;
    private static final int CANARY_LENGTH = 256;

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
    private static final int[] RING_SIZES = {0, 1, 7, 8, 9, 16, 24, 64, 4096, 4097, 8192, 0x1_0000, -1, 0x8000_0000};
    private static final int[] LENGTHS = {0, 1, 13, 14, 15, 60, 64, 1514, 1518, 1519, 2047, 2048, 4096, 0xFFFF};
    private static final int[] BLOCK_LENGTHS = {16, 60, 128, 1024, 2048, 4096, 65536};
    private static final long[] ADDRESSES = {
        0, 1, 16, 0xFFFF_FFF0L, 0xFFFF_FFFFL, 1L << 32, -1, -16, Long.MIN_VALUE, Long.MAX_VALUE - 15, Long.MAX_VALUE
    };
    /** Far above anything a bump-allocated bus hands out: an address no block holds. */
    private static final long UNALLOCATED = 0x7000_0000_0000L;

    @FuzzTest(maxDuration = "60s")
    void deviceSurvivesAnyDriver(FuzzedDataProvider data) {
        try (Machine machine = new Machine()) {
            if (data.consumeBoolean()) {
                machine.bringUp();
            }
            for (int steps = 0; data.remainingBytes() > 0 && steps < MAX_STEPS; steps++) {
                machine.step(data);
            }
        }
        LeakPresenceDetector.check();
    }

    /** Two NICs on one bus: the hostile driver's, and a neighbour driven by {@link TestDriver}. */
    private static final class Machine implements AutoCloseable {
        private final HostMemory bus = new HostMemory(16L << 20);
        private final ManualDeviceTimer timer = new ManualDeviceTimer();
        private final List<SharedMemory> canaries = new ArrayList<>();
        /** Canaries the hostile driver pointed its device at: the device may write them, so they prove nothing. */
        private final Set<SharedMemory> canariesNamed = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Ring bases and descriptor buffer addresses the hostile driver wrote, before and after this step. */
        private final Set<Long> named = new HashSet<>();
        /** The hostile driver pointed its device at the neighbour's memory: the neighbour may break. */
        private boolean neighbourNamed;

        private final BusAnalyser hostileBus = new BusAnalyser(bus);
        private final BusAnalyser neighbourBus = new BusAnalyser(bus);
        private final InMemoryWire hostileWire = InMemoryWire.pair();
        private final InMemoryWire neighbourWire = InMemoryWire.pair();
        private final VirtualNic hostile;
        private final VirtualNic neighbour;
        private final RegisterSpace registers;
        private final WirePeer hostilePeer;
        private final WirePeer neighbourPeer;
        private final TestDriver neighbourDriver;
        /** Counters up to the last CTRL.RESET, which clears them. */
        private final long[] beforeResets = new long[StatisticsCounter.values().length];

        private long framesToHostile;
        private int witness;
        /** This step wrote a ring's base or size, or reset the device: head moved for another reason. */
        private boolean ringsReprogrammed;
        /** Tail writes of this step the device refused (at or beyond the ring's size): RING_ERRORS, no fault. */
        private int tailsRefused;

        Machine() {
            canary();
            for (int length : new int[] {128, 1024, 65536, 2048, 2048, 1518, 60}) {
                hostileBus.allocate(length);
                canary();
            }
            hostile = VirtualNic.builder("hostile", hostileWire.a())
                    .memory(hostileBus)
                    .timer(timer)
                    .phyAccessNanos(PHY_NANOS)
                    .permanentAddress(HOSTILE)
                    .build();
            registers = hostile.resources().registers();
            hostilePeer = new WirePeer(hostileWire.b());
            neighbour = VirtualNic.builder("neighbour", neighbourWire.a())
                    .memory(neighbourBus)
                    .timer(timer)
                    .permanentAddress(NEIGHBOUR)
                    .build();
            neighbourPeer = new WirePeer(neighbourWire.b());
            neighbourDriver = new TestDriver(neighbour, NEIGHBOUR_RING);
            canary();
            neighbourDriver.start(RCTL_DIRECTED);
            neighbourDriver.postReceiveBuffers(NEIGHBOUR_RING - 1);
        }

        // ---- the hostile driver ----------------------------------------------------------------

        /**
         * What a driver's initialization does (datasheet section 12), so that inputs start from a
         * working device: a transmit ring of 64 descriptors, a receive ring of 8 with 7 buffers posted
         * (in the 64 KiB block), every frame accepted, every cause unmasked, both units on.
         */
        void bringUp() {
            List<SharedMemory> blocks = hostileBus.given();
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
            Ring tx = Ring.read(registers, TX_BASE_LO);
            int count = data.consumeInt(1, 8);
            for (int i = 0; i < count; i++) {
                ByteBuf d = driverView(tx.slot(tx.tail + i), HardwareLimits.DESCRIPTOR_LENGTH);
                if (d != null) {
                    d.setLongLE(TransmitDescriptor.ADDRESS_OFFSET, bufferAddress(data));
                    d.setShortLE(TransmitDescriptor.LENGTH_OFFSET, length(data));
                    d.setByte(TransmitDescriptor.COMMAND_OFFSET, data.consumeInt(0, 1));
                    d.setByte(TransmitDescriptor.STATUS_OFFSET, 0);
                }
            }
            write(TX_TAIL, tx.wrap(tx.tail + count));
        }

        /** Posts 1 to 8 receive buffers from the tail on (any address, any size) and moves the tail. */
        private void postReceiveBuffers(FuzzedDataProvider data) {
            Ring rx = Ring.read(registers, RX_BASE_LO);
            int count = data.consumeInt(1, 8);
            for (int i = 0; i < count; i++) {
                ByteBuf d = driverView(rx.slot(rx.tail + i), HardwareLimits.DESCRIPTOR_LENGTH);
                if (d != null) {
                    d.setLongLE(ReceiveDescriptor.ADDRESS_OFFSET, bufferAddress(data));
                    d.setShortLE(ReceiveDescriptor.BUFFER_SIZE_OFFSET, length(data));
                    d.setByte(ReceiveDescriptor.STATUS_OFFSET, 0);
                }
            }
            write(RX_TAIL, rx.wrap(rx.tail + count));
        }

        void step(FuzzedDataProvider data) {
            ringsReprogrammed = false;
            tailsRefused = 0;
            int status = registers.read32(STATUS);
            Ring tx = Ring.read(registers, TX_BASE_LO);
            Ring rx = Ring.read(registers, RX_BASE_LO);
            named.clear();
            name(tx);
            name(rx);
            long[] counters = totals();
            switch (data.consumeInt(0, 14)) {
                case 0 -> write(offset(data), value(data));
                case 1 -> registers.read32(offset(data));
                case 2 -> programRing(data);
                case 3 -> writeDescriptor(data);
                case 4 -> fillBuffer(data);
                case 5 -> write(data.consumeBoolean() ? TX_TAIL : RX_TAIL, ringIndex(data));
                case 6 -> write(CTRL, data.consumeInt(0, CTRL_RESET | CTRL_RX_ENABLE | CTRL_TX_ENABLE));
                case 7 -> peerSends(data);
                case 8 ->
                    timer.advance(
                            data.consumeBoolean()
                                    ? data.consumeLong(0, 3 * PHY_NANOS)
                                    : data.consumeLong(0, 70_000_000));
                case 9 -> {
                    if (data.consumeBoolean()) {
                        hostileWire.cut();
                    } else {
                        hostileWire.reconnect();
                    }
                }
                case 10 -> reallocate(data);
                case 11 -> phyCommand(data);
                case 12 -> queueTransmits(data);
                case 13 -> postReceiveBuffers(data);
                default -> faultKnob(data);
            }
            check(tx, rx, counters, status);
        }

        private void write(int offset, int value) {
            if (offset == CTRL && (value & CTRL_RESET) != 0) {
                long[] now = counters();
                for (int i = 0; i < now.length; i++) {
                    beforeResets[i] += now[i];
                }
                ringsReprogrammed = true;
            }
            if ((offset >= TX_BASE_LO && offset <= TX_SIZE) || (offset >= RX_BASE_LO && offset <= RX_SIZE)) {
                ringsReprogrammed = true;
            }
            if ((offset == TX_TAIL || offset == RX_TAIL)
                    && Integer.compareUnsigned(value, registers.read32(offset - RING_TAIL + RING_SIZE)) >= 0) {
                tailsRefused++;
            }
            registers.write32(offset, value);
        }

        private void programRing(FuzzedDataProvider data) {
            int ring = data.consumeBoolean() ? TX_BASE_LO : RX_BASE_LO;
            long base = data.consumeBoolean() ? ringBase(data) : address(data);
            int size = data.consumeBoolean() ? data.pickValue(RING_SIZES) : data.consumeInt();
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
                Ring ring = Ring.read(registers, target == 0 ? TX_BASE_LO : RX_BASE_LO);
                int slots = Math.max(1, Math.min(ring.size, HardwareLimits.MAX_RING_SIZE));
                at = ring.base + (long) HardwareLimits.DESCRIPTOR_LENGTH * data.consumeInt(0, slots - 1);
            } else {
                SharedMemory block = pickBlock(data);
                at = block.physicalAddress() + data.consumeInt(0, block.length());
            }
            ByteBuf d = driverView(at, HardwareLimits.DESCRIPTOR_LENGTH);
            if (d == null) {
                return;
            }
            d.setLongLE(TransmitDescriptor.ADDRESS_OFFSET, bufferAddress(data));
            d.setShortLE(TransmitDescriptor.LENGTH_OFFSET, length(data));
            // TX: command and status; RX: the frame length the device writes back
            d.setShortLE(
                    TransmitDescriptor.COMMAND_OFFSET,
                    data.consumeBoolean() ? data.consumeInt(0, 1) : data.consumeInt());
            d.setIntLE(ReceiveDescriptor.STATUS_OFFSET, data.consumeBoolean() ? 0 : data.consumeInt());
        }

        private void fillBuffer(FuzzedDataProvider data) {
            SharedMemory block = pickBlock(data);
            int offset = data.consumeInt(0, block.length() - 1);
            byte[] frame = Frames.frame(
                    new MacAddress(destination(data)), HOSTILE, HardwareLimits.MAX_FRAME_LENGTH, data.consumeInt());
            int length = Math.min(frame.length, block.length() - offset);
            block.virtualAddress().setBytes(offset, frame, 0, length);
        }

        private void peerSends(FuzzedDataProvider data) {
            int count = data.consumeInt(1, 8);
            byte[][] burst = new byte[count][];
            for (int i = 0; i < count; i++) {
                int length = data.consumeBoolean() ? data.pickValue(LENGTHS) : data.consumeInt(0, 1600);
                burst[i] = peerFrame(destination(data), Math.min(length, 1600), data.consumeInt());
            }
            framesToHostile += hostilePeer.send(burst);
        }

        /** Frees one of the driver's blocks (the device may still use it) and allocates another. */
        private void reallocate(FuzzedDataProvider data) {
            hostileBus.free(pickBlock(data));
            if (hostileBus.allocate(data.pickValue(BLOCK_LENGTHS)) == null) {
                hostileBus.allocate(16);
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
            FaultInjection faults = hostile.faults();
            switch (data.consumeInt(0, 3)) {
                case 0 -> faults.failNextTransmits(data.consumeInt(0, 3));
                case 1 -> faults.dropNextReceived(data.consumeInt(0, 3));
                case 2 -> faults.pullCable();
                default -> faults.replugCable();
            }
        }

        // ---- values a hostile driver picks ----------------------------------------------------

        private static int offset(FuzzedDataProvider data) {
            return switch (data.consumeInt(0, 3)) {
                case 0, 1 -> data.pickValue(REGISTERS);
                case 2 -> data.consumeInt(0, HardwareLimits.REGISTER_SPACE_LENGTH + 8);
                default -> data.consumeInt();
            };
        }

        private static int value(FuzzedDataProvider data) {
            return data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeInt();
        }

        private static int length(FuzzedDataProvider data) {
            return data.consumeBoolean() ? data.pickValue(LENGTHS) : data.consumeInt(0, 0xFFFF);
        }

        private int ringIndex(FuzzedDataProvider data) {
            return switch (data.consumeInt(0, 3)) {
                case 0, 1 -> data.consumeInt(0, 9);
                case 2 -> data.pickValue(RING_SIZES) + data.consumeInt(-1, 1);
                default -> data.consumeInt();
            };
        }

        private long ringBase(FuzzedDataProvider data) {
            SharedMemory block = pickBlock(data);
            return block.physicalAddress()
                    + (long) HardwareLimits.RING_ALIGNMENT
                            * data.consumeInt(0, block.length() / HardwareLimits.RING_ALIGNMENT);
        }

        private long bufferAddress(FuzzedDataProvider data) {
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
        private long address(FuzzedDataProvider data) {
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
            for (SharedMemory block : allBlocks()) {
                long offset = address - block.physicalAddress();
                foreign |= offset >= 0
                        && offset < block.length()
                        && !hostileBus.given().contains(block);
            }
            return foreign ? UNALLOCATED + (address & 0xFFF) : address;
        }

        private SharedMemory pickBlock(FuzzedDataProvider data) {
            return data.pickValue(hostileBus.given());
        }

        private long destination(FuzzedDataProvider data) {
            long station = MacAddress.valueFromRegisters(registers.read32(RAL), registers.read32(RAH));
            return data.pickValue(new long[] {
                station,
                HOSTILE.value(),
                MacAddress.BROADCAST.value(),
                GROUP.value(),
                NEIGHBOUR.value(),
                Frames.PEER.value()
            });
        }

        /** The driver's view of {@code length} bytes at {@code address}, or null if no block of its own holds them. */
        private ByteBuf driverView(long address, int length) {
            for (SharedMemory block : hostileBus.given()) {
                long offset = address - block.physicalAddress();
                if (offset >= 0 && offset <= block.length() - length) {
                    return block.virtualAddress().slice((int) offset, length);
                }
            }
            return null;
        }

        // ---- the checks ----------------------------------------------------------------------

        private void check(Ring tx0, Ring rx0, long[] counters0, int status0) {
            Ring tx = Ring.read(registers, TX_BASE_LO);
            Ring rx = Ring.read(registers, RX_BASE_LO);
            name(tx);
            name(rx);
            List<BusAnalyser.Access> served = hostileBus.takeServed();
            for (BusAnalyser.Access access : served) {
                if (!hostileBus.isGiven(access)) {
                    assertThat(named)
                            .as(
                                    "the hostile device's %s, outside its memory: its driver never named that address",
                                    access)
                            .contains(access.address());
                    canaries.stream()
                            .filter(c -> access.overlaps(c.physicalAddress(), c.physicalAddress(c.length())))
                            .forEach(canariesNamed::add);
                    neighbourNamed |= neighbourBus.given().stream()
                            .anyMatch(b -> access.overlaps(b.physicalAddress(), b.physicalAddress(b.length())));
                }
            }
            for (BusAnalyser.Access access : neighbourBus.takeServed()) {
                assertThat(neighbourBus.isGiven(access))
                        .as("the neighbour's %s, inside its memory", access)
                        .isTrue();
            }
            for (SharedMemory canary : canaries) {
                for (int i = 0; i < CANARY_LENGTH && !canariesNamed.contains(canary); i++) {
                    if (canary.virtualAddress().getByte(i) != canaryByte(canary, i)) {
                        throw new AssertionError(
                                "canary at 0x" + Long.toHexString(canary.physicalAddress(i)) + " was overwritten");
                    }
                }
            }
            tx.checkHeadAndTail("TX");
            rx.checkHeadAndTail("RX");
            long[] counters = totals();
            checkRingErrors(
                    tx,
                    rx,
                    status0,
                    counters[StatisticsCounter.RING_ERRORS.ordinal()]
                            - counters0[StatisticsCounter.RING_ERRORS.ordinal()]);
            if (!ringsReprogrammed) {
                boolean ringsOverlap = tx.overlaps(rx);
                checkConsumed(
                        "TX",
                        tx0,
                        tx,
                        counters0,
                        counters,
                        TransmitDescriptor.STATUS_OFFSET,
                        ringsOverlap || writesInto(served, tx),
                        new StatisticsCounter[] {
                            StatisticsCounter.TX_FRAMES,
                            StatisticsCounter.TX_LENGTH_ERRORS,
                            StatisticsCounter.TX_DMA_ERRORS,
                            StatisticsCounter.TX_NO_CARRIER,
                            StatisticsCounter.TX_FAULT_ERRORS
                        },
                        new int[] {
                            0,
                            TransmitDescriptor.STATUS_ERR_LENGTH,
                            TransmitDescriptor.STATUS_ERR_DMA,
                            TransmitDescriptor.STATUS_ERR_NO_CARRIER,
                            TransmitDescriptor.STATUS_ERR_FAULT
                        });
                checkConsumed(
                        "RX",
                        rx0,
                        rx,
                        counters0,
                        counters,
                        ReceiveDescriptor.STATUS_OFFSET,
                        ringsOverlap || writesInto(served, rx),
                        new StatisticsCounter[] {
                            StatisticsCounter.RX_FRAMES,
                            StatisticsCounter.RX_BUFFER_TOO_SMALL,
                            StatisticsCounter.RX_DMA_ERRORS
                        },
                        new int[] {0, ReceiveDescriptor.STATUS_ERR_TOO_SMALL, ReceiveDescriptor.STATUS_ERR_DMA});
            }
            checkBalances(counters);
            if (!neighbourNamed) {
                witness();
            }
        }

        /**
         * The descriptors the device consumed in this step (head moved from {@code before} to
         * {@code after}) each have DONE and at most one error bit, and the outcome counters moved by
         * exactly as many of each. Statuses are read only where no DMA of the step could have
         * overwritten them.
         */
        private void checkConsumed(
                String unit,
                Ring before,
                Ring after,
                long[] counters0,
                long[] counters,
                int statusOffset,
                boolean statusesClobbered,
                StatisticsCounter[] outcomes,
                int[] errorBits) {
            int consumed = after.consumedSince(before, unit);
            long counted = 0;
            for (StatisticsCounter c : outcomes) {
                counted += counters[c.ordinal()] - counters0[c.ordinal()];
            }
            assertThat(counted)
                    .as(
                            "%s outcomes counted = descriptors consumed (head %d -> %d of %d)",
                            unit, before.head, after.head, after.size)
                    .isEqualTo(consumed);
            if (consumed == 0 || statusesClobbered) {
                return;
            }
            int errorMask = 0;
            for (int bit : errorBits) {
                errorMask |= bit;
            }
            long[] seen = new long[outcomes.length];
            for (int i = 0; i < consumed; i++) {
                int index = (before.head + i) & (after.size - 1);
                ByteBuf descriptor = driverView(after.base + (long) HardwareLimits.DESCRIPTOR_LENGTH * index, 16);
                if (descriptor == null) {
                    return; // the ring's memory was freed under the device
                }
                int status = descriptor.getUnsignedByte(statusOffset);
                assertThat(status & 1)
                        .as("%s descriptor %d: DONE in status 0x%x", unit, index, status)
                        .isEqualTo(1);
                int errors = status & errorMask;
                assertThat(Integer.bitCount(errors))
                        .as("%s descriptor %d: one outcome in status 0x%x", unit, index, status)
                        .isLessThanOrEqualTo(1);
                for (int k = 0; k < errorBits.length; k++) {
                    if (errors == errorBits[k]) {
                        seen[k]++;
                    }
                }
            }
            for (int k = 0; k < outcomes.length; k++) {
                assertThat(seen[k])
                        .as("%s descriptors with outcome %s", unit, outcomes[k])
                        .isEqualTo(counters[outcomes[k].ordinal()] - counters0[outcomes[k].ordinal()]);
            }
        }

        /**
         * A ring that became unusable in this step is flagged in STATUS, and only one that cannot be
         * mapped; the flag stays until the ring is reprogrammed or the device reset.
         */
        private void checkRingErrors(Ring tx, Ring rx, int status0, long ringErrors) {
            int status = registers.read32(STATUS);
            int ringBits = STATUS_TX_RING_ERROR | STATUS_RX_RING_ERROR;
            int raised = status & ~status0 & ringBits;
            if ((raised & STATUS_TX_RING_ERROR) != 0) {
                assertThat(mappable(tx)).as("TX ring flagged unusable: %s", tx).isFalse();
            }
            if ((raised & STATUS_RX_RING_ERROR) != 0) {
                assertThat(mappable(rx)).as("RX ring flagged unusable: %s", rx).isFalse();
            }
            if (!ringsReprogrammed) {
                assertThat(status & status0 & ringBits)
                        .as("ring errors stay until reprogrammed")
                        .isEqualTo(status0 & ringBits);
                if (ringErrors > tailsRefused) {
                    assertThat(raised)
                            .as(
                                    "RING_ERRORS rose by %d, %d of them refused tails: a ring is flagged",
                                    ringErrors, tailsRefused)
                            .isNotZero();
                }
            }
        }

        /** The ring's registers describe memory the device can map: a usable size, aligned, inside one block. */
        private boolean mappable(Ring ring) {
            if (!ring.usableSize() || ring.base == 0 || ring.base % HardwareLimits.RING_ALIGNMENT != 0) {
                return false;
            }
            try {
                bus.map(ring.base, ring.size * HardwareLimits.DESCRIPTOR_LENGTH);
                return true;
            } catch (IllegalArgumentException notInMemory) {
                return false;
            }
        }

        private static boolean writesInto(List<BusAnalyser.Access> served, Ring ring) {
            long end = ring.base
                    + (long) HardwareLimits.DESCRIPTOR_LENGTH
                            * Math.max(0, Math.min(ring.size, HardwareLimits.MAX_RING_SIZE));
            return served.stream().anyMatch(a -> a.kind().equals("write") && a.overlaps(ring.base, end));
        }

        /** Every frame that reached the receive unit is counted once; every raise of the line is counted. */
        private void checkBalances(long[] counters) {
            long looped = counters[StatisticsCounter.TX_FRAMES.ordinal()] - hostilePeer.frames.size();
            assertThat(looped)
                    .as("frames transmitted - frames the wire carried (the PHY loopback)")
                    .isNotNegative();
            long arrived = 0;
            for (StatisticsCounter c : new StatisticsCounter[] {
                StatisticsCounter.RX_DISABLED,
                StatisticsCounter.RX_FAULT_DROPS,
                StatisticsCounter.RX_LENGTH_ERRORS,
                StatisticsCounter.RX_FILTERED,
                StatisticsCounter.RX_NO_BUFFER,
                StatisticsCounter.RX_FRAMES,
                StatisticsCounter.RX_BUFFER_TOO_SMALL,
                StatisticsCounter.RX_DMA_ERRORS
            }) {
                arrived += counters[c.ordinal()];
            }
            assertThat(arrived)
                    .as("frames the receive unit counted = frames from the wire + looped back")
                    .isEqualTo(framesToHostile + looped);
            for (byte[] frame : hostilePeer.frames) {
                assertThat(frame.length)
                        .isBetween(HardwareLimits.ETHERNET_HEADER_LENGTH, HardwareLimits.MAX_FRAME_LENGTH);
            }
            assertThat(hostile.resources().interrupt().raised())
                    .as("raises of the line = INTERRUPTS_RAISED")
                    .isEqualTo(counters[StatisticsCounter.INTERRUPTS_RAISED.ordinal()]);
        }

        /** The neighbour sends and receives a numbered frame, and counts no error. */
        private void witness() {
            witness++;
            byte[] out = Frames.frame(Frames.PEER, NEIGHBOUR, 60 + witness % 64, witness);
            int slot = neighbourDriver.transmit(out);
            assertThat(neighbourPeer.frames)
                    .as("the neighbour's frame %d", witness)
                    .endsWith(out);
            assertThat(neighbourDriver.transmitStatus(slot)).isEqualTo(TransmitDescriptor.STATUS_DONE);
            byte[] in = Frames.frame(NEIGHBOUR, Frames.PEER, 60 + witness % 64, -witness);
            neighbourPeer.send(in);
            List<TestDriver.Received> received = neighbourDriver.reap();
            assertThat(received)
                    .as("frames the neighbour received at step %d", witness)
                    .hasSize(1);
            assertThat(received.get(0).data()).isEqualTo(in);
            assertThat(received.get(0).status()).isEqualTo(ReceiveDescriptor.STATUS_DONE);
            neighbourDriver.postReceiveBuffers(1);
            for (StatisticsCounter c : StatisticsCounter.values()) {
                if (c != StatisticsCounter.TX_FRAMES
                        && c != StatisticsCounter.TX_BYTES
                        && c != StatisticsCounter.RX_FRAMES
                        && c != StatisticsCounter.RX_BYTES) {
                    assertThat(neighbour.statistics().get(c))
                            .as("the neighbour's %s", c)
                            .isZero();
                }
            }
        }

        // ---- bookkeeping ---------------------------------------------------------------------

        /**
         * Adds what the driver names through {@code ring} now: its base, and the buffer address of
         * each of its descriptors (wherever the ring is: a driver may point a ring anywhere).
         */
        private void name(Ring ring) {
            named.add(ring.base);
            if (!ring.usableSize()) {
                return;
            }
            ByteBuf descriptors;
            try {
                descriptors = bus.map(ring.base, ring.size * HardwareLimits.DESCRIPTOR_LENGTH);
            } catch (IllegalArgumentException notInMemory) {
                return;
            }
            for (int i = 0; i < ring.size; i++) {
                named.add(descriptors.getLongLE(HardwareLimits.DESCRIPTOR_LENGTH * i));
            }
        }

        private long[] counters() {
            long[] values = new long[StatisticsCounter.values().length];
            for (StatisticsCounter c : StatisticsCounter.values()) {
                values[c.ordinal()] = hostile.statistics().get(c);
            }
            return values;
        }

        /** Counters since power-on, resets included. */
        private long[] totals() {
            long[] values = counters();
            for (int i = 0; i < values.length; i++) {
                values[i] += beforeResets[i];
            }
            return values;
        }

        private void canary() {
            SharedMemory canary = bus.allocate(CANARY_LENGTH);
            for (int i = 0; i < CANARY_LENGTH; i++) {
                canary.virtualAddress().setByte(i, canaryByte(canary, i));
            }
            canaries.add(canary);
        }

        private static byte canaryByte(SharedMemory canary, int i) {
            return (byte) (0xA5 ^ i ^ (canary.physicalAddress() >>> 12));
        }

        private List<SharedMemory> allBlocks() {
            List<SharedMemory> all = new ArrayList<>(canaries);
            all.addAll(hostileBus.given());
            all.addAll(neighbourBus.given());
            return all;
        }

        private static byte[] peerFrame(long destination, int length, int seed) {
            byte[] frame = Frames.frame(new MacAddress(destination), Frames.PEER, Math.max(length, 14), seed);
            return length < 14 ? Arrays.copyOf(frame, length) : frame;
        }

        @Override
        public void close() {
            neighbourDriver.close();
            for (SharedMemory block : List.copyOf(hostileBus.given())) {
                hostileBus.free(block);
            }
            canaries.forEach(bus::free);
            hostile.close();
            neighbour.close();
            hostileWire.a().close();
            hostileWire.b().close();
            neighbourWire.a().close();
            neighbourWire.b().close();
            timer.close();
            assertThat(bus.allocatedBytes()).as("bus memory left").isZero();
        }
    }

    /** A ring as its registers describe it. */
    private record Ring(long base, int size, int head, int tail) {
        static Ring read(RegisterSpace registers, int baseLo) {
            long base = (registers.read32(baseLo + RING_BASE_LO) & 0xFFFF_FFFFL)
                    | (long) registers.read32(baseLo + RING_BASE_HI) << 32;
            return new Ring(
                    base,
                    registers.read32(baseLo + RING_SIZE),
                    registers.read32(baseLo + RING_HEAD),
                    registers.read32(baseLo + RING_TAIL));
        }

        boolean usableSize() {
            return size >= HardwareLimits.MIN_RING_SIZE
                    && size <= HardwareLimits.MAX_RING_SIZE
                    && Integer.bitCount(size) == 1;
        }

        void checkHeadAndTail(String unit) {
            if (usableSize()) {
                assertThat(head).as("%s head inside a ring of %d", unit, size).isBetween(0, size - 1);
                assertThat(tail).as("%s tail inside a ring of %d", unit, size).isBetween(0, size - 1);
            } else {
                assertThat(head)
                        .as("%s head of an unusable ring (size %d)", unit, size)
                        .isZero();
            }
        }

        /** Descriptors the device consumed since {@code before} (same programming). */
        int consumedSince(Ring before, String unit) {
            if (!usableSize()) {
                assertThat(head).as("%s head of an unusable ring", unit).isEqualTo(before.head);
                return 0;
            }
            return (head - before.head) & (size - 1);
        }

        /** Bus address of descriptor {@code index} (taken modulo a usable size). */
        long slot(int index) {
            return base + (long) HardwareLimits.DESCRIPTOR_LENGTH * wrap(index);
        }

        int wrap(int index) {
            return usableSize() ? index & (size - 1) : index;
        }

        boolean overlaps(Ring other) {
            long end = base + 16L * Math.max(0, Math.min(size, HardwareLimits.MAX_RING_SIZE));
            long otherEnd = other.base + 16L * Math.max(0, Math.min(other.size, HardwareLimits.MAX_RING_SIZE));
            return base < otherEnd && other.base < end;
        }
    }
}
