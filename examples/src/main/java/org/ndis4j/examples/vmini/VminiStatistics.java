package org.ndis4j.examples.vmini;

import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The device's statistics counters as vmini reports them (OID_GEN_STATISTICS, OID_GEN_XMIT_OK,
 * OID_GEN_RCV_OK): they never go backwards. CTRL.RESET clears the device's counters (datasheet §8),
 * so the reset adds what they held to a base (Windows drivers keep their counters across a hardware
 * reset the same way); a reader sees base + device. What they held is read from STATS_AT_RESET, where
 * the reset moved each counter in one step: a frame the device counts while the reset happens is
 * in one or the other, never lost (reading the counters before CTRL.RESET would lose what arrived
 * between the read and the reset). The frames a reset takes out of the receive ring before the
 * driver indicated them stay in the device's receive counts (the NIC did receive them) and are
 * counted again by the receive path as the driver's discards ({@link VminiReceivePath#receiveDiscards}).
 *
 * <pre>
 *   reported(counter) = base[counter] + STATS(counter)      reset: CTRL.RESET; base += STATS_AT_RESET
 * </pre>
 */
final class VminiStatistics {

    private static final StatisticsCounter[] COUNTERS = StatisticsCounter.values();

    private final RegisterSpace registers;
    /** Guards base and resets; a read and a reset never interleave. */
    private final NdisSpinLock lock = Ndis.allocateSpinLock();
    /** What the device's counters held at the resets so far, summed. */
    private final long[] base = new long[COUNTERS.length];

    private int resets;

    VminiStatistics(RegisterSpace registers) {
        this.registers = registers;
    }

    /** Every counter, base + device, indexed by ordinal, in one read. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    long[] read() {
        long[] values = new long[COUNTERS.length];
        Ndis.acquireSpinLock(lock);
        for (StatisticsCounter counter : COUNTERS) {
            values[counter.ordinal()] = base[counter.ordinal()] + VminiHardware.readCounter(registers, counter);
        }
        Ndis.releaseSpinLock(lock);
        return values;
    }

    /** One counter, base + device. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    long get(StatisticsCounter counter) {
        Ndis.acquireSpinLock(lock);
        long value = base[counter.ordinal()] + VminiHardware.readCounter(registers, counter);
        Ndis.releaseSpinLock(lock);
        return value;
    }

    /**
     * The device reset of MiniportResetEx: CTRL.RESET, then what every counter held goes to the base.
     * Runs at IRQL &lt;= DISPATCH_LEVEL (the reset work item, holding the data path's locks); a reader
     * waits, so it never sees the cleared device without the base that makes up for it.
     */
    void resetDevice() {
        Ndis.acquireSpinLock(lock);
        VminiHardware.reset(registers);
        for (StatisticsCounter counter : COUNTERS) {
            base[counter.ordinal()] += VminiHardware.readCounterAtReset(registers, counter);
        }
        resets++;
        Ndis.releaseSpinLock(lock);
    }

    /** Device resets MiniportResetEx made since initialize. */
    int resets() {
        Ndis.acquireSpinLock(lock);
        int value = resets;
        Ndis.releaseSpinLock(lock);
        return value;
    }

    /** Frees the lock. Runs at PASSIVE_LEVEL (MiniportHaltEx, or a failed MiniportInitializeEx). */
    void free() {
        Ndis.freeSpinLock(lock);
    }
}
