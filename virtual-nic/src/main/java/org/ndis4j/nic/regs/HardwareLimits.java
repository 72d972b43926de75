package org.ndis4j.nic.regs;

/**
 * Every limit and timing of the virtual NIC in one place, as netvmini's hardware.h keeps them.
 *
 * <p>To model a different device, change these values (and the datasheet,
 * {@code docs/virtual-nic-datasheet.md}); nothing else in the device model hard-codes a size.
 */
public final class HardwareLimits {

    /** Bytes of register space the device decodes; offsets at or above it read 0 and ignore writes. */
    public static final int REGISTER_SPACE_LENGTH = 0x1000;

    /** Bytes in one transmit or receive descriptor. */
    public static final int DESCRIPTOR_LENGTH = 16;

    /** Smallest ring the device accepts, in descriptors. Ring sizes must be a power of two. */
    public static final int MIN_RING_SIZE = 8;

    /** Largest ring the device accepts, in descriptors. */
    public static final int MAX_RING_SIZE = 4096;

    /**
     * Frames the transmit unit sends between two wire flushes: a burst is everything between head
     * and tail, flushed once, or this many frames if there are more.
     */
    public static final int TX_BURST_FRAMES = 256;

    /** Ring base addresses must be aligned to this many bytes. */
    public static final int RING_ALIGNMENT = 16;

    /** Ethernet header: destination, source, EtherType. Shorter frames are runts. */
    public static final int ETHERNET_HEADER_LENGTH = 14;

    /**
     * Largest frame on the wire, without FCS, after reset: 1500-byte MTU + header + one 802.1Q tag.
     * MAXFRAME changes it.
     */
    public static final int MAX_FRAME_LENGTH = 1518;

    /** Largest value MAXFRAME takes: a 9000-byte jumbo MTU + header + one 802.1Q tag (the wire's limit). */
    public static final int MAX_JUMBO_FRAME_LENGTH = 9018;

    /** Smallest value MAXFRAME takes: a minimum Ethernet frame without FCS. */
    public static final int MIN_MAX_FRAME_LENGTH = 60;

    /** Exact-match multicast address entries in the receive filter. */
    public static final int MULTICAST_TABLE_ENTRIES = 32;

    /** Largest interrupt throttling interval, in microseconds (the register is 16 bits wide). */
    public static final int MAX_THROTTLE_INTERVAL_MICROS = 0xFFFF;

    /** The one PHY on the management bus answers at this address; others return an error. */
    public static final int PHY_ADDRESS = 1;

    /** Time the PHY takes to complete one management (MDIO) read or write. */
    public static final long PHY_ACCESS_NANOS = 1_000_000L;

    private HardwareLimits() {}
}
