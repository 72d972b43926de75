package org.ndis4j.nic.regs;

/**
 * The PHY's registers (IEEE 802.3 clause 22 numbering), reached through MDIC, and their bits.
 *
 * <pre>
 * reg  name     access  reset   contents
 *  0   BMCR     R/W     0x1140  15 RESET (self-clearing)  14 LOOPBACK  13 SPEED_LSB  12 AUTONEG_ENABLE
 *                               11 POWER_DOWN  9 RESTART_AUTONEG (self-clearing)  8 FULL_DUPLEX  6 SPEED_MSB
 *  1   BMSR     RO      0x7949  5 AUTONEG_COMPLETE  3 AUTONEG_ABILITY  2 LINK_STATUS (latched low)
 *                               + abilities: 14 100FD 13 100HD 12 10FD 11 10HD 8 EXTENDED_STATUS 0 EXTENDED
 *  2   PHYID1   RO      0x4E44  organisationally unique identifier, high bits ("ND")
 *  3   PHYID2   RO      0x4A10  OUI low bits, model 1, revision 0
 *  4   ANAR     R/W     0x01E1  advertised abilities (10/100, half/full, 802.3 selector)
 *  5   ANLPAR   RO      0x45E1  link partner abilities while the link is up, else 0
 *  9   GBCR     R/W     0x0300  1000BASE-T control: 9 advertise 1000FD, 8 advertise 1000HD
 * 10   GBSR     RO      0x0C00  1000BASE-T status: link partner 1000FD/HD while the link is up
 * 15   ESR      RO      0x3000  extended status: 1000BASE-T FD/HD capable
 * 17   PHYSR    RO      -       PHY-specific status, real time: 15:14 speed (00 10, 01 100,
 *                               10 1000)  13 FULL_DUPLEX  11 RESOLVED  10 LINK
 * </pre>
 *
 * Unimplemented registers read 0 and ignore writes.
 */
public final class PhyRegisters {

    public static final int BMCR = 0;
    public static final int BMSR = 1;
    public static final int PHYID1 = 2;
    public static final int PHYID2 = 3;
    public static final int ANAR = 4;
    public static final int ANLPAR = 5;
    public static final int GBCR = 9;
    public static final int GBSR = 10;
    public static final int ESR = 15;
    public static final int PHYSR = 17;

    public static final int BMCR_RESET = 1 << 15;
    public static final int BMCR_LOOPBACK = 1 << 14;
    public static final int BMCR_SPEED_LSB = 1 << 13;
    public static final int BMCR_AUTONEG_ENABLE = 1 << 12;
    public static final int BMCR_POWER_DOWN = 1 << 11;
    public static final int BMCR_RESTART_AUTONEG = 1 << 9;
    public static final int BMCR_FULL_DUPLEX = 1 << 8;
    public static final int BMCR_SPEED_MSB = 1 << 6;
    public static final int BMCR_RESET_VALUE = BMCR_AUTONEG_ENABLE | BMCR_FULL_DUPLEX | BMCR_SPEED_MSB;

    public static final int BMSR_AUTONEG_COMPLETE = 1 << 5;
    public static final int BMSR_AUTONEG_ABILITY = 1 << 3;
    public static final int BMSR_LINK_STATUS = 1 << 2;
    /** Abilities (10/100 half/full, extended status, extended capabilities) and autoneg ability. */
    public static final int BMSR_ABILITIES = 0x7909 | BMSR_AUTONEG_ABILITY;

    public static final int PHYID1_VALUE = 0x4E44;
    public static final int PHYID2_VALUE = 0x4A10;
    public static final int ANAR_RESET_VALUE = 0x01E1;
    public static final int ANLPAR_LINK_UP_VALUE = 0x45E1;
    public static final int GBCR_RESET_VALUE = 0x0300;
    public static final int GBSR_LINK_UP_VALUE = 0x0C00;
    public static final int ESR_VALUE = 0x3000;

    public static final int PHYSR_SPEED_SHIFT = 14;
    public static final int PHYSR_FULL_DUPLEX = 1 << 13;
    public static final int PHYSR_RESOLVED = 1 << 11;
    public static final int PHYSR_LINK = 1 << 10;

    private PhyRegisters() {}
}
