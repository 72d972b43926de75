package org.ndis4j.nic.regs;

/**
 * The register map: byte offsets of the 32-bit registers and their bit fields. Access types follow
 * datasheet convention: R/W read-write, RO read-only, RC read-to-clear, W1S write-1-to-set,
 * W1C write-1-to-clear, WO write-only (reads 0).
 *
 * <pre>
 * 0x000 CTRL     R/W  device control          0x100 TX_BASE_LO R/W   0x120 RX_BASE_LO R/W
 * 0x004 STATUS   RO   link, speed, ring errs  0x104 TX_BASE_HI R/W   0x124 RX_BASE_HI R/W
 * 0x008 ICR      RC   interrupt cause         0x108 TX_SIZE    R/W   0x128 RX_SIZE    R/W
 * 0x00C ICS      W1S  interrupt cause set     0x10C TX_HEAD    RO    0x12C RX_HEAD    RO
 * 0x010 IMS      R/W1S interrupt mask (set)   0x110 TX_TAIL    R/W   0x130 RX_TAIL    R/W
 * 0x014 IMC      W1C  interrupt mask clear
 * 0x018 ITR      R/W  throttle interval (µs)  0x200 + 8n MTA_LO[n] R/W  multicast entry n, bytes 0-3
 * 0x020 RCTL     R/W  receive control         0x204 + 8n MTA_HI[n] R/W  bytes 4-5, VALID (bit 31)
 * 0x028 RAL      R/W  station MAC bytes 0-3
 * 0x02C RAH      R/W  station MAC bytes 4-5   0x400 + 8k STATS_LO[k] RO  counter k, bits 31:0
 * 0x040 MDIC     R/W  PHY management          0x404 + 8k STATS_HI[k] RO  counter k, bits 63:32
 *                                              0x600 + 8k STATS_AT_RESET_LO[k] RO  counter k when the
 *                                              0x604 + 8k STATS_AT_RESET_HI[k] RO  last reset cleared it
 * </pre>
 *
 * A MAC address is stored as on e1000: its first byte on the wire in bits 7:0 of the low register.
 */
public final class Registers {

    // ---- device control and status ----

    /** Device control, R/W. */
    public static final int CTRL = 0x000;
    /** CTRL: write 1 to reset the device; self-clearing (reads 0). */
    public static final int CTRL_RESET = 1;
    /** CTRL: receive unit enabled. */
    public static final int CTRL_RX_ENABLE = 1 << 1;
    /** CTRL: transmit unit enabled. */
    public static final int CTRL_TX_ENABLE = 1 << 2;

    /** Device status, RO. */
    public static final int STATUS = 0x004;
    /** STATUS: link up (carrier present, PHY powered up, cable in). */
    public static final int STATUS_LINK_UP = 1;
    /** STATUS: full duplex. */
    public static final int STATUS_FULL_DUPLEX = 1 << 1;
    /** STATUS: speed field, bits 3:2 (see {@code STATUS_SPEED_*}). */
    public static final int STATUS_SPEED_SHIFT = 2;

    public static final int STATUS_SPEED_MASK = 0b11 << STATUS_SPEED_SHIFT;
    public static final int STATUS_SPEED_10 = 0;
    public static final int STATUS_SPEED_100 = 1;
    public static final int STATUS_SPEED_1000 = 2;
    /**
     * STATUS: the transmit ring is unusable and the unit stopped using it (see {@link #INT_RING_ERROR});
     * cleared by writing TX_BASE_LO, TX_BASE_HI or TX_SIZE, or by reset.
     */
    public static final int STATUS_TX_RING_ERROR = 1 << 4;
    /** STATUS: the receive ring is unusable, as {@link #STATUS_TX_RING_ERROR} for RX_BASE/RX_SIZE. */
    public static final int STATUS_RX_RING_ERROR = 1 << 5;

    // ---- interrupts ----

    /** Interrupt cause read, RC: reading returns the pending causes and clears them all. */
    public static final int ICR = 0x008;
    /** Interrupt cause set, W1S (write-only): software-triggered causes, for driver self-tests. */
    public static final int ICS = 0x00C;
    /** Interrupt mask set, write 1 to enable a cause; reads the current mask. */
    public static final int IMS = 0x010;
    /** Interrupt mask clear, W1C (write-only): write 1 to disable a cause. */
    public static final int IMC = 0x014;
    /** Interrupt throttling: minimum interval between interrupts in µs, bits 15:0; 0 = none. */
    public static final int ITR = 0x018;

    /** Cause: transmit descriptors with REPORT_STATUS were written back. */
    public static final int INT_TX_DONE = 1;
    /** Cause: received frames were written to posted buffers. */
    public static final int INT_RX = 1 << 1;
    /** Cause: the link went up or down (read STATUS). */
    public static final int INT_LINK_STATUS_CHANGE = 1 << 2;
    /** Cause: a frame was dropped because no receive buffer was posted. */
    public static final int INT_RX_OVERRUN = 1 << 3;
    /**
     * Cause: a ring became unusable when the device went to use it: its base or size is invalid, or
     * its descriptors could not be reached over the bus (no memory at that address: a master abort).
     * STATUS says which ring; RING_ERRORS counts it. Reprogram the ring (or reset the device).
     */
    public static final int INT_RING_ERROR = 1 << 4;
    /** Every cause bit the device implements; other bits read 0. */
    public static final int INT_ALL = INT_TX_DONE | INT_RX | INT_LINK_STATUS_CHANGE | INT_RX_OVERRUN | INT_RING_ERROR;

    // ---- receive filter ----

    /** Receive control, R/W: which frames the receive filter accepts. */
    public static final int RCTL = 0x020;
    /** RCTL: unicast frames to the station address. */
    public static final int RCTL_DIRECTED = 1;
    /** RCTL: multicast frames whose destination is a valid entry of the multicast table. */
    public static final int RCTL_MULTICAST = 1 << 1;
    /** RCTL: every multicast frame. */
    public static final int RCTL_ALL_MULTICAST = 1 << 2;
    /** RCTL: frames to ff:ff:ff:ff:ff:ff. */
    public static final int RCTL_BROADCAST = 1 << 3;
    /** RCTL: every frame. */
    public static final int RCTL_PROMISCUOUS = 1 << 4;

    public static final int RCTL_ALL =
            RCTL_DIRECTED | RCTL_MULTICAST | RCTL_ALL_MULTICAST | RCTL_BROADCAST | RCTL_PROMISCUOUS;

    /** Station MAC address bytes 0-3 (byte 0 in bits 7:0), R/W. */
    public static final int RAL = 0x028;
    /** Station MAC address bytes 4-5 in bits 15:0, R/W. */
    public static final int RAH = 0x02C;

    /**
     * Maximum frame length in bytes, R/W: the longest frame (without FCS) either unit moves; longer
     * ones are length errors. Reset value {@link HardwareLimits#MAX_FRAME_LENGTH}; writes outside
     * {@link HardwareLimits#MIN_MAX_FRAME_LENGTH}..{@link HardwareLimits#MAX_JUMBO_FRAME_LENGTH} are
     * ignored (and counted as bad register accesses).
     */
    public static final int MAXFRAME = 0x034;

    /** Multicast table: entry n's low register is at MTA_BASE + 8n, its high register 4 bytes on. */
    public static final int MTA_BASE = 0x200;

    public static final int MTA_STRIDE = 8;
    /** MTA_HI: the entry takes part in filtering. */
    public static final int MTA_HI_VALID = 1 << 31;

    // ---- PHY management ----

    /** MDIO control (e1000 MDIC layout), R/W. */
    public static final int MDIC = 0x040;
    /** MDIC data, bits 15:0: written for a write, returned for a read. */
    public static final int MDIC_DATA_MASK = 0xFFFF;
    /** MDIC PHY register address, bits 20:16. */
    public static final int MDIC_REG_SHIFT = 16;

    public static final int MDIC_REG_MASK = 0x1F << MDIC_REG_SHIFT;
    /** MDIC PHY address, bits 25:21. */
    public static final int MDIC_PHY_SHIFT = 21;

    public static final int MDIC_PHY_MASK = 0x1F << MDIC_PHY_SHIFT;
    /** MDIC opcode, bits 27:26: 01 write, 10 read. */
    public static final int MDIC_OP_WRITE = 1 << 26;

    public static final int MDIC_OP_READ = 2 << 26;
    public static final int MDIC_OP_MASK = 3 << 26;
    /** MDIC: the last command completed (set by the device). */
    public static final int MDIC_READY = 1 << 28;
    /** MDIC: the last command failed (bad PHY address or opcode; set by the device). */
    public static final int MDIC_ERROR = 1 << 30;

    // ---- descriptor rings ----

    public static final int TX_BASE_LO = 0x100;
    public static final int TX_BASE_HI = 0x104;
    public static final int TX_SIZE = 0x108;
    public static final int TX_HEAD = 0x10C;
    public static final int TX_TAIL = 0x110;

    public static final int RX_BASE_LO = 0x120;
    public static final int RX_BASE_HI = 0x124;
    public static final int RX_SIZE = 0x128;
    public static final int RX_HEAD = 0x12C;
    public static final int RX_TAIL = 0x130;

    /** Offsets of a ring's registers relative to its base-low register (TX_BASE_LO or RX_BASE_LO). */
    public static final int RING_BASE_LO = 0x0;

    public static final int RING_BASE_HI = 0x4;
    public static final int RING_SIZE = 0x8;
    public static final int RING_HEAD = 0xC;
    public static final int RING_TAIL = 0x10;
    public static final int RING_REGISTERS_LENGTH = 0x14;

    // ---- statistics ----

    /** Statistics: counter k's bits 31:0 are at STATS_BASE + 8k, bits 63:32 four bytes on. */
    public static final int STATS_BASE = 0x400;

    public static final int STATS_STRIDE = 8;

    /**
     * Statistics at reset: what counter k held when the last CTRL.RESET cleared it, at
     * STATS_AT_RESET_BASE + 8k (bits 31:0) and four bytes on (63:32). The reset moves each counter
     * there in one step, so a driver that keeps totals across resets loses no count to the reset.
     */
    public static final int STATS_AT_RESET_BASE = 0x600;

    /**
     * What every register reads once the device was pulled from its slot: all ones, as a PCI read of an
     * absent device. A driver that reads it from ICR or STATUS checks whether the NIC is still there.
     */
    public static final int ABSENT = 0xFFFF_FFFF;

    /** Offset of the low half of multicast table entry {@code index}. */
    public static int mtaLo(int index) {
        return MTA_BASE + MTA_STRIDE * index;
    }

    /** Offset of the high half of multicast table entry {@code index}. */
    public static int mtaHi(int index) {
        return mtaLo(index) + 4;
    }

    /** Offset of the low half of a statistics counter. */
    public static int statsLo(StatisticsCounter counter) {
        return STATS_BASE + STATS_STRIDE * counter.ordinal();
    }

    /** Offset of the high half of a statistics counter. */
    public static int statsHi(StatisticsCounter counter) {
        return statsLo(counter) + 4;
    }

    /** Offset of the low half of what a statistics counter held when the last reset cleared it. */
    public static int statsAtResetLo(StatisticsCounter counter) {
        return STATS_AT_RESET_BASE + STATS_STRIDE * counter.ordinal();
    }

    /** Offset of the high half of what a statistics counter held when the last reset cleared it. */
    public static int statsAtResetHi(StatisticsCounter counter) {
        return statsAtResetLo(counter) + 4;
    }

    private Registers() {}
}
