package org.ndis4j.nic;

import java.util.function.BooleanSupplier;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The register space a driver maps: decodes each 32-bit access (see {@link Registers}) and routes it
 * to the unit that owns the register. Holds no state of its own; every unit guards its registers
 * with its own lock, and causes a write produces are signalled after that lock is released.
 *
 * <p>Unaligned or out-of-range offsets read 0 and ignore writes; so do undecoded offsets and
 * writes to read-only registers. Each such access is counted in
 * {@link StatisticsCounter#BAD_REGISTER_ACCESSES}, never thrown. A device pulled from its slot reads
 * 0xFFFFFFFF everywhere and ignores every write, as a PCI read of an absent device returns all ones.
 */
final class DeviceRegisterFile implements RegisterSpace {

    private static final int TX_RING_END = Registers.TX_BASE_LO + Registers.RING_REGISTERS_LENGTH;
    private static final int RX_RING_END = Registers.RX_BASE_LO + Registers.RING_REGISTERS_LENGTH;
    private static final int MTA_END =
            Registers.MTA_BASE + Registers.MTA_STRIDE * HardwareLimits.MULTICAST_TABLE_ENTRIES;
    private static final int STATS_END = Registers.STATS_BASE + Registers.STATS_STRIDE * Statistics.count();
    private static final int STATS_AT_RESET_END =
            Registers.STATS_AT_RESET_BASE + Registers.STATS_STRIDE * Statistics.count();

    private final TransmitEngine transmit;
    private final ReceiveEngine receive;
    private final ReceiveFilter filter;
    private final InterruptController interrupts;
    private final MdioController mdio;
    private final Phy phy;
    private final Statistics statistics;
    private final FrameLengthLimit frameLimit;
    private final Runnable deviceReset;
    private final BooleanSupplier removed;

    DeviceRegisterFile(
            TransmitEngine transmit,
            ReceiveEngine receive,
            ReceiveFilter filter,
            InterruptController interrupts,
            MdioController mdio,
            Phy phy,
            Statistics statistics,
            FrameLengthLimit frameLimit,
            Runnable deviceReset,
            BooleanSupplier removed) {
        this.transmit = transmit;
        this.receive = receive;
        this.filter = filter;
        this.interrupts = interrupts;
        this.mdio = mdio;
        this.phy = phy;
        this.statistics = statistics;
        this.frameLimit = frameLimit;
        this.deviceReset = deviceReset;
        this.removed = removed;
    }

    @Override
    public int length() {
        return HardwareLimits.REGISTER_SPACE_LENGTH;
    }

    @Override
    public int read32(int offset) {
        if (removed.getAsBoolean()) {
            statistics.accessedWhileRemoved(false);
            return Registers.ABSENT;
        }
        if (!decodable(offset)) {
            return 0;
        }
        if (offset >= Registers.TX_BASE_LO && offset < TX_RING_END) {
            return transmit.readRegister(offset - Registers.TX_BASE_LO);
        }
        if (offset >= Registers.RX_BASE_LO && offset < RX_RING_END) {
            return receive.readRegister(offset - Registers.RX_BASE_LO);
        }
        if (offset >= Registers.MTA_BASE && offset < MTA_END) {
            int relative = offset - Registers.MTA_BASE;
            return filter.readTable(relative / Registers.MTA_STRIDE, (relative & 4) != 0);
        }
        if ((offset >= Registers.STATS_BASE && offset < STATS_END)
                || (offset >= Registers.STATS_AT_RESET_BASE && offset < STATS_AT_RESET_END)) {
            return statistics.readRegister(offset);
        }
        return switch (offset) {
            case Registers.CTRL ->
                (receive.isEnabled() ? Registers.CTRL_RX_ENABLE : 0)
                        | (transmit.isEnabled() ? Registers.CTRL_TX_ENABLE : 0);
            case Registers.STATUS ->
                phy.status()
                        | (transmit.isRingFaulted() ? Registers.STATUS_TX_RING_ERROR : 0)
                        | (receive.isRingFaulted() ? Registers.STATUS_RX_RING_ERROR : 0);
            case Registers.ICR -> interrupts.readAndClearCause();
            case Registers.IMS -> interrupts.mask();
            case Registers.ITR -> interrupts.throttleMicros();
            case Registers.RCTL -> filter.readControl();
            case Registers.RAL -> filter.readStation(false);
            case Registers.RAH -> filter.readStation(true);
            case Registers.MDIC -> mdio.read();
            case Registers.MAXFRAME -> frameLimit.maxFrameLength();
            case Registers.ICS, Registers.IMC -> 0; // write-only
            default -> bad(0);
        };
    }

    @Override
    public void write32(int offset, int value) {
        if (removed.getAsBoolean()) {
            statistics.accessedWhileRemoved(true);
            return;
        }
        if (!decodable(offset)) {
            return;
        }
        if (offset >= Registers.TX_BASE_LO && offset < TX_RING_END) {
            interrupts.signal(transmit.writeRegister(offset - Registers.TX_BASE_LO, value));
        } else if (offset >= Registers.RX_BASE_LO && offset < RX_RING_END) {
            receive.writeRegister(offset - Registers.RX_BASE_LO, value);
        } else if (offset >= Registers.MTA_BASE && offset < MTA_END) {
            int relative = offset - Registers.MTA_BASE;
            filter.writeTable(relative / Registers.MTA_STRIDE, (relative & 4) != 0, value);
        } else {
            writeSingle(offset, value);
        }
    }

    private void writeSingle(int offset, int value) {
        switch (offset) {
            case Registers.CTRL -> writeControl(value);
            case Registers.ICS -> interrupts.signal(value);
            case Registers.IMS -> interrupts.maskSet(value);
            case Registers.IMC -> interrupts.maskClear(value);
            case Registers.ITR -> interrupts.setThrottleMicros(value);
            case Registers.RCTL -> filter.writeControl(value);
            case Registers.RAL -> filter.writeStation(false, value);
            case Registers.RAH -> filter.writeStation(true, value);
            case Registers.MDIC -> mdio.write(value);
            case Registers.MAXFRAME -> {
                if (!frameLimit.set(value)) {
                    bad(0);
                }
            }
            default -> bad(0); // read-only (STATUS, ICR, heads, statistics) or undecoded
        }
    }

    private void writeControl(int value) {
        if ((value & Registers.CTRL_RESET) != 0) {
            deviceReset.run();
            return;
        }
        receive.setEnabled((value & Registers.CTRL_RX_ENABLE) != 0);
        interrupts.signal(transmit.setEnabled((value & Registers.CTRL_TX_ENABLE) != 0));
    }

    private boolean decodable(int offset) {
        if ((offset & 3) != 0 || offset < 0 || offset >= HardwareLimits.REGISTER_SPACE_LENGTH) {
            bad(0);
            return false;
        }
        return true;
    }

    private int bad(int result) {
        statistics.increment(StatisticsCounter.BAD_REGISTER_ACCESSES);
        return result;
    }
}
