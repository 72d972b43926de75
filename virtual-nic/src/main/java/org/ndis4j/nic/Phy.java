package org.ndis4j.nic;

import org.ndis4j.nic.regs.PhyRegisters;
import org.ndis4j.nic.regs.Registers;

/**
 * The PHY: resolves link, speed and duplex from the wire's carrier, the cable (fault injection) and
 * its own control register, and serves its registers ({@link PhyRegisters}) to the management
 * interface ({@link MdioController}).
 *
 * <p>Link is up while the wire has carrier, the cable is plugged in and the PHY is not powered down.
 * With auto-negotiation on, the link resolves to 1000 Mb/s full duplex (both ends are this model);
 * with it off, to the speed and duplex forced in BMCR. BMSR's link bit is latched low, as clause 22
 * requires: after a link failure it reads 0 once, even if the link is back; PHYSR is real time.
 *
 * <p>Every mutator returns true when the device STATUS word changed, which the device turns into a
 * LINK_STATUS_CHANGE cause.
 */
final class Phy {

    /** Guards every field below; the two volatiles are also read without it on the frame path. */
    private final Object lock = new Object();

    private boolean carrier;
    private boolean cablePlugged = true;
    private int control = PhyRegisters.BMCR_RESET_VALUE;
    private int advertised = PhyRegisters.ANAR_RESET_VALUE;
    private int gigabitControl = PhyRegisters.GBCR_RESET_VALUE;
    private boolean linkFailureLatched;
    private volatile boolean linkUp;
    private volatile boolean loopback;

    /** The wire's carrier changed. */
    boolean setCarrier(boolean up) {
        synchronized (lock) {
            int before = status();
            carrier = up;
            return update(before);
        }
    }

    /** The cable was pulled (false) or plugged back in (true). */
    boolean setCablePlugged(boolean plugged) {
        synchronized (lock) {
            int before = status();
            cablePlugged = plugged;
            return update(before);
        }
    }

    /** A management read of PHY register {@code register}. */
    int read(int register) {
        synchronized (lock) {
            return switch (register) {
                case PhyRegisters.BMCR -> control;
                case PhyRegisters.BMSR -> {
                    int value = PhyRegisters.BMSR_ABILITIES;
                    if (linkUp && !linkFailureLatched) {
                        value |= PhyRegisters.BMSR_LINK_STATUS;
                    }
                    if (linkUp && autoneg()) {
                        value |= PhyRegisters.BMSR_AUTONEG_COMPLETE;
                    }
                    linkFailureLatched = false;
                    yield value;
                }
                case PhyRegisters.PHYID1 -> PhyRegisters.PHYID1_VALUE;
                case PhyRegisters.PHYID2 -> PhyRegisters.PHYID2_VALUE;
                case PhyRegisters.ANAR -> advertised;
                case PhyRegisters.ANLPAR -> linkUp ? PhyRegisters.ANLPAR_LINK_UP_VALUE : 0;
                case PhyRegisters.GBCR -> gigabitControl;
                case PhyRegisters.GBSR -> linkUp ? PhyRegisters.GBSR_LINK_UP_VALUE : 0;
                case PhyRegisters.ESR -> PhyRegisters.ESR_VALUE;
                case PhyRegisters.PHYSR ->
                    (speedCode() << PhyRegisters.PHYSR_SPEED_SHIFT)
                            | (fullDuplex() ? PhyRegisters.PHYSR_FULL_DUPLEX : 0)
                            | (linkUp ? PhyRegisters.PHYSR_RESOLVED | PhyRegisters.PHYSR_LINK : 0);
                default -> 0;
            };
        }
    }

    /** A management write of PHY register {@code register}; read-only registers ignore it. */
    boolean write(int register, int value) {
        synchronized (lock) {
            int before = status();
            switch (register) {
                case PhyRegisters.BMCR -> {
                    if ((value & PhyRegisters.BMCR_RESET) != 0) {
                        resetRegisters();
                    } else {
                        // RESTART_AUTONEG completes at once: both ends are this model
                        control = value & 0xFFFF & ~PhyRegisters.BMCR_RESTART_AUTONEG;
                    }
                }
                case PhyRegisters.ANAR -> advertised = value & 0xFFFF;
                case PhyRegisters.GBCR -> gigabitControl = value & 0xFFFF;
                default -> {
                    // read-only or unimplemented
                }
            }
            return update(before);
        }
    }

    /** Device reset: registers to their reset values; carrier and cable are physical and stay. */
    boolean reset() {
        synchronized (lock) {
            int before = status();
            resetRegisters();
            linkFailureLatched = false;
            return update(before);
        }
    }

    /** The STATUS register word: link, duplex, speed. */
    int status() {
        synchronized (lock) {
            int value = speedCode() << Registers.STATUS_SPEED_SHIFT;
            if (fullDuplex()) {
                value |= Registers.STATUS_FULL_DUPLEX;
            }
            if (linkUp) {
                value |= Registers.STATUS_LINK_UP;
            }
            return value;
        }
    }

    /** Link up, read lock-free on the frame path. */
    boolean isLinkUp() {
        return linkUp;
    }

    /** BMCR loopback: transmitted frames come back to the receive unit instead of the wire. */
    boolean isLoopback() {
        return loopback;
    }

    private void resetRegisters() {
        control = PhyRegisters.BMCR_RESET_VALUE;
        advertised = PhyRegisters.ANAR_RESET_VALUE;
        gigabitControl = PhyRegisters.GBCR_RESET_VALUE;
    }

    private boolean update(int statusBefore) {
        boolean up = carrier && cablePlugged && (control & PhyRegisters.BMCR_POWER_DOWN) == 0;
        if (linkUp && !up) {
            linkFailureLatched = true;
        }
        linkUp = up;
        loopback = (control & PhyRegisters.BMCR_LOOPBACK) != 0;
        return status() != statusBefore;
    }

    private boolean autoneg() {
        return (control & PhyRegisters.BMCR_AUTONEG_ENABLE) != 0;
    }

    private boolean fullDuplex() {
        return autoneg() || (control & PhyRegisters.BMCR_FULL_DUPLEX) != 0;
    }

    /** 0 = 10, 1 = 100, 2 = 1000 Mb/s: the same code in STATUS and PHYSR. */
    private int speedCode() {
        if (autoneg()) {
            return Registers.STATUS_SPEED_1000;
        }
        int msb = (control & PhyRegisters.BMCR_SPEED_MSB) != 0 ? 2 : 0;
        int lsb = (control & PhyRegisters.BMCR_SPEED_LSB) != 0 ? 1 : 0;
        return Math.min(msb | lsb, Registers.STATUS_SPEED_1000);
    }
}
