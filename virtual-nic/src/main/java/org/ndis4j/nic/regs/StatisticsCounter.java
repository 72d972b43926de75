package org.ndis4j.nic.regs;

/**
 * The device's 64-bit statistics counters. A counter's register index is its ordinal (see
 * {@link Registers#statsLo}); new counters go at the end, existing ones never move.
 */
public enum StatisticsCounter {
    /** Frames written to receive buffers. */
    RX_FRAMES,
    /** Bytes of frames written to receive buffers. */
    RX_BYTES,
    /** Received frames to the broadcast address (of RX_FRAMES). */
    RX_BROADCAST,
    /** Received frames to a multicast address (of RX_FRAMES). */
    RX_MULTICAST,
    /** Frames dropped because no receive buffer was posted (missed packets). */
    RX_NO_BUFFER,
    /** Frames the receive filter rejected. */
    RX_FILTERED,
    /** Frames dropped because the receive unit was disabled. */
    RX_DISABLED,
    /** Runts (shorter than an Ethernet header) and oversize frames from the wire. */
    RX_LENGTH_ERRORS,
    /** Frames larger than the posted buffer (descriptor written back with BUFFER_TOO_SMALL). */
    RX_BUFFER_TOO_SMALL,
    /** Receive descriptors whose buffer address is outside bus memory. */
    RX_DMA_ERRORS,
    /** Received frames dropped by fault injection. */
    RX_FAULT_DROPS,
    /** Frames handed to the wire (or looped back by the PHY). */
    TX_FRAMES,
    /** Bytes of frames handed to the wire. */
    TX_BYTES,
    /** Transmit descriptors with a length of 0, below an Ethernet header or above the maximum. */
    TX_LENGTH_ERRORS,
    /** Transmit descriptors whose buffer address is outside bus memory. */
    TX_DMA_ERRORS,
    /** Frames the wire refused (no carrier, or its queue was full). */
    TX_NO_CARRIER,
    /** Transmits failed by fault injection. */
    TX_FAULT_ERRORS,
    /**
     * Rings that became unusable when the device reached for them (base or size invalid, no memory
     * there, memory freed: STATUS ring error, cause RING_ERROR), and tail writes out of range.
     */
    RING_ERRORS,
    /** MDIC writes while a PHY command was still in progress (ignored). */
    PHY_BUSY_ERRORS,
    /** Times the device raised its interrupt line. */
    INTERRUPTS_RAISED,
    /** Register reads or writes at an unaligned or undecoded offset, and writes to read-only registers. */
    BAD_REGISTER_ACCESSES
}
