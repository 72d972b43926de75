package org.ndis4j.nic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.nic.regs.Registers.*;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.StatisticsCounter;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * What must hold after every step of {@link HostileDriverFuzzTest} (its class comment lists the
 * properties): DMA only where the driver pointed the device, canaries intact, each consumed
 * descriptor with DONE and one outcome matched by the counters, ring errors flagged in STATUS,
 * every frame counted once, head and tail in range, and the neighbour still working. Apart from the
 * driver because it judges the step and never feeds the device; it keeps what the hostile driver
 * named, which decides whether an access outside its memory is the device's fault.
 */
final class HostileDriverChecks {

    private final HostileMachine machine;
    private final HostileDriver driver;

    /** Canaries the hostile driver pointed its device at: the device may write them, so they prove nothing. */
    private final Set<SharedMemory> canariesNamed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Ring bases and descriptor buffer addresses the hostile driver wrote, before and after this step. */
    private final Set<Long> named = new HashSet<>();
    /** The hostile driver pointed its device at the neighbour's memory: the neighbour may break. */
    private boolean neighbourNamed;

    private int witness;

    HostileDriverChecks(HostileMachine machine, HostileDriver driver) {
        this.machine = machine;
        this.driver = driver;
    }

    /** Before the step: what the driver names through the rings as they are now. */
    void beginStep(RingRegisters tx, RingRegisters rx) {
        named.clear();
        name(tx);
        name(rx);
    }

    /** After the step: everything the fuzz target promises, against the state before it. */
    void afterStep(RingRegisters tx0, RingRegisters rx0, long[] counters0, int status0) {
        RingRegisters tx = RingRegisters.read(machine.registers, TX_BASE_LO);
        RingRegisters rx = RingRegisters.read(machine.registers, RX_BASE_LO);
        name(tx);
        name(rx);
        List<BusAnalyser.Access> served = machine.hostileBus.takeServed();
        for (BusAnalyser.Access access : served) {
            if (!machine.hostileBus.isGiven(access)) {
                assertThat(named)
                        .as("the hostile device's %s, outside its memory: its driver never named that address", access)
                        .contains(access.address());
                machine.canaries.stream()
                        .filter(c -> access.overlaps(c.physicalAddress(), c.physicalAddress(c.length())))
                        .forEach(canariesNamed::add);
                neighbourNamed |= machine.neighbourBus.given().stream()
                        .anyMatch(b -> access.overlaps(b.physicalAddress(), b.physicalAddress(b.length())));
            }
        }
        for (BusAnalyser.Access access : machine.neighbourBus.takeServed()) {
            assertThat(machine.neighbourBus.isGiven(access))
                    .as("the neighbour's %s, inside its memory", access)
                    .isTrue();
        }
        for (SharedMemory canary : machine.canaries) {
            for (int i = 0; i < HostileMachine.CANARY_LENGTH && !canariesNamed.contains(canary); i++) {
                if (canary.virtualAddress().getByte(i) != HostileMachine.canaryByte(canary, i)) {
                    throw new AssertionError(
                            "canary at 0x" + Long.toHexString(canary.physicalAddress(i)) + " was overwritten");
                }
            }
        }
        tx.checkHeadAndTail("TX");
        rx.checkHeadAndTail("RX");
        long[] counters = machine.totals();
        checkRingErrors(
                tx,
                rx,
                status0,
                counters[StatisticsCounter.RING_ERRORS.ordinal()] - counters0[StatisticsCounter.RING_ERRORS.ordinal()]);
        if (!driver.ringsReprogrammed()) {
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
            RingRegisters before,
            RingRegisters after,
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
                        unit, before.head(), after.head(), after.size())
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
            int index = (before.head() + i) & (after.size() - 1);
            ByteBuf descriptor = machine.driverView(after.base() + (long) HardwareLimits.DESCRIPTOR_LENGTH * index, 16);
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
    private void checkRingErrors(RingRegisters tx, RingRegisters rx, int status0, long ringErrors) {
        int status = machine.registers.read32(STATUS);
        int ringBits = STATUS_TX_RING_ERROR | STATUS_RX_RING_ERROR;
        int raised = status & ~status0 & ringBits;
        if ((raised & STATUS_TX_RING_ERROR) != 0) {
            assertThat(mappable(tx)).as("TX ring flagged unusable: %s", tx).isFalse();
        }
        if ((raised & STATUS_RX_RING_ERROR) != 0) {
            assertThat(mappable(rx)).as("RX ring flagged unusable: %s", rx).isFalse();
        }
        if (!driver.ringsReprogrammed()) {
            assertThat(status & status0 & ringBits)
                    .as("ring errors stay until reprogrammed")
                    .isEqualTo(status0 & ringBits);
            if (ringErrors > driver.tailsRefused()) {
                assertThat(raised)
                        .as(
                                "RING_ERRORS rose by %d, %d of them refused tails: a ring is flagged",
                                ringErrors, driver.tailsRefused())
                        .isNotZero();
            }
        }
    }

    /** The ring's registers describe memory the device can map: a usable size, aligned, inside one block. */
    private boolean mappable(RingRegisters ring) {
        if (!ring.usableSize() || ring.base() == 0 || ring.base() % HardwareLimits.RING_ALIGNMENT != 0) {
            return false;
        }
        try {
            machine.bus.map(ring.base(), ring.size() * HardwareLimits.DESCRIPTOR_LENGTH);
            return true;
        } catch (IllegalArgumentException notInMemory) {
            return false;
        }
    }

    private static boolean writesInto(List<BusAnalyser.Access> served, RingRegisters ring) {
        long end = ring.base()
                + (long) HardwareLimits.DESCRIPTOR_LENGTH
                        * Math.max(0, Math.min(ring.size(), HardwareLimits.MAX_RING_SIZE));
        return served.stream().anyMatch(a -> a.kind().equals("write") && a.overlaps(ring.base(), end));
    }

    /** Every frame that reached the receive unit is counted once; every raise of the line is counted. */
    private void checkBalances(long[] counters) {
        long looped = counters[StatisticsCounter.TX_FRAMES.ordinal()] - machine.hostilePeer.frames.size();
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
                .isEqualTo(driver.framesToHostile() + looped);
        for (byte[] frame : machine.hostilePeer.frames) {
            assertThat(frame.length).isBetween(HardwareLimits.ETHERNET_HEADER_LENGTH, HardwareLimits.MAX_FRAME_LENGTH);
        }
        assertThat(machine.hostile.resources().interrupt().raised())
                .as("raises of the line = INTERRUPTS_RAISED")
                .isEqualTo(counters[StatisticsCounter.INTERRUPTS_RAISED.ordinal()]);
    }

    /** The neighbour sends and receives a numbered frame, and counts no error. */
    private void witness() {
        witness++;
        byte[] out = Frames.frame(Frames.PEER, HostileMachine.NEIGHBOUR, 60 + witness % 64, witness);
        int slot = machine.neighbourDriver.transmit(out);
        assertThat(machine.neighbourPeer.frames)
                .as("the neighbour's frame %d", witness)
                .endsWith(out);
        assertThat(machine.neighbourDriver.transmitStatus(slot)).isEqualTo(TransmitDescriptor.STATUS_DONE);
        byte[] in = Frames.frame(HostileMachine.NEIGHBOUR, Frames.PEER, 60 + witness % 64, -witness);
        machine.neighbourPeer.send(in);
        List<TestDriver.Received> received = machine.neighbourDriver.reap();
        assertThat(received)
                .as("frames the neighbour received at step %d", witness)
                .hasSize(1);
        assertThat(received.get(0).data()).isEqualTo(in);
        assertThat(received.get(0).status()).isEqualTo(ReceiveDescriptor.STATUS_DONE);
        machine.neighbourDriver.postReceiveBuffers(1);
        for (StatisticsCounter c : StatisticsCounter.values()) {
            if (c != StatisticsCounter.TX_FRAMES
                    && c != StatisticsCounter.TX_BYTES
                    && c != StatisticsCounter.RX_FRAMES
                    && c != StatisticsCounter.RX_BYTES) {
                assertThat(machine.neighbour.statistics().get(c))
                        .as("the neighbour's %s", c)
                        .isZero();
            }
        }
    }

    // ---- what the driver named ---------------------------------------------------------------

    /**
     * Adds what the driver names through {@code ring} now: its base, and the buffer address of
     * each of its descriptors (wherever the ring is: a driver may point a ring anywhere).
     */
    private void name(RingRegisters ring) {
        named.add(ring.base());
        if (!ring.usableSize()) {
            return;
        }
        ByteBuf descriptors;
        try {
            descriptors = machine.bus.map(ring.base(), ring.size() * HardwareLimits.DESCRIPTOR_LENGTH);
        } catch (IllegalArgumentException notInMemory) {
            return;
        }
        for (int i = 0; i < ring.size(); i++) {
            named.add(descriptors.getLongLE(HardwareLimits.DESCRIPTOR_LENGTH * i));
        }
    }
}
