package org.ndis4j.nic;

import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The PHY management interface (register MDIC, e1000 layout): a driver writes a command, the
 * device completes it a PHY access time later and sets READY, with the data of a read.
 *
 * <pre>
 *  31  30    29  28    27 26  25     21  20     16  15                 0
 * +---+-----+---+-----+------+---------+---------+--------------------+
 * | 0 |ERROR| 0 |READY|  OP  | PHY addr| PHY reg |        DATA        |
 * +---+-----+---+-----+------+---------+---------+--------------------+
 *   OP: 01 write DATA to PHY reg, 10 read PHY reg into DATA
 *
 *   driver: write MDIC (READY = 0) ... wait ~1 ms at PASSIVE_LEVEL ... read MDIC until READY
 * </pre>
 *
 * A command to a PHY address other than {@link HardwareLimits#PHY_ADDRESS}, or with an invalid
 * opcode, completes with ERROR. A write to MDIC while a command is in progress is ignored and
 * counted ({@link StatisticsCounter#PHY_BUSY_ERRORS}). Completion runs on the device's timer.
 */
final class MdioController {

    private final Phy phy;
    private final DeviceTimer timer;
    private final long accessNanos;
    private final FaultInjection faults;
    private final Statistics statistics;
    /** Told when a PHY write changed the link status. */
    private final Runnable linkStatusChanged;

    /** Guards every field below. Lock order: this lock, then the PHY's. */
    private final Object lock = new Object();

    private int mdic;
    private boolean busy;
    /** Bumped by reset, so that a completion scheduled before it does nothing. */
    private long generation;

    MdioController(
            Phy phy,
            DeviceTimer timer,
            long accessNanos,
            FaultInjection faults,
            Statistics statistics,
            Runnable linkStatusChanged) {
        this.phy = phy;
        this.timer = timer;
        this.accessNanos = accessNanos;
        this.faults = faults;
        this.statistics = statistics;
        this.linkStatusChanged = linkStatusChanged;
    }

    int read() {
        synchronized (lock) {
            return mdic;
        }
    }

    /** A driver writes MDIC: starts a command unless one is in progress. */
    void write(int value) {
        long scheduledGeneration;
        synchronized (lock) {
            if (busy) {
                statistics.increment(StatisticsCounter.PHY_BUSY_ERRORS);
                return;
            }
            busy = true;
            mdic = value & ~(Registers.MDIC_READY | Registers.MDIC_ERROR);
            scheduledGeneration = generation;
        }
        timer.schedule(() -> complete(scheduledGeneration), accessNanos + faults.extraPhyDelayNanos());
    }

    private void complete(long scheduledGeneration) {
        boolean linkChanged = false;
        synchronized (lock) {
            if (scheduledGeneration != generation) {
                return;
            }
            busy = false;
            int phyAddress = (mdic & Registers.MDIC_PHY_MASK) >>> Registers.MDIC_PHY_SHIFT;
            int register = (mdic & Registers.MDIC_REG_MASK) >>> Registers.MDIC_REG_SHIFT;
            int op = mdic & Registers.MDIC_OP_MASK;
            if (phyAddress != HardwareLimits.PHY_ADDRESS
                    || (op != Registers.MDIC_OP_READ && op != Registers.MDIC_OP_WRITE)) {
                mdic |= Registers.MDIC_READY | Registers.MDIC_ERROR;
            } else if (op == Registers.MDIC_OP_READ) {
                mdic = (mdic & ~Registers.MDIC_DATA_MASK) | phy.read(register) | Registers.MDIC_READY;
            } else {
                linkChanged = phy.write(register, mdic & Registers.MDIC_DATA_MASK);
                mdic |= Registers.MDIC_READY;
            }
        }
        if (linkChanged) {
            linkStatusChanged.run();
        }
    }

    /** Device reset: any command in progress is abandoned; MDIC reads 0. */
    void reset() {
        synchronized (lock) {
            generation++;
            busy = false;
            mdic = 0;
        }
    }
}
