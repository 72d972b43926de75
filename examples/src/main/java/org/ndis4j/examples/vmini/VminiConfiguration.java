package org.ndis4j.examples.vmini;

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisConfigurationParameter;
import org.ndis4j.ndis.config.NdisParameterType;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.nic.regs.HardwareLimits;

/**
 * What the adapter's registry asks of it (netvmini's NICReadRegParameters): read once in
 * MiniportInitializeEx, each keyword with vmini's default when it is absent or out of range, as a
 * miniport must not trust the registry.
 *
 * <pre>
 *   *JumboPacket          1514..9014   frame size without FCS and tag → MTU, buffers, MAXFRAME (+4 for a tag)
 *   *ReceiveBuffers       8..4096      receive descriptors (rounded down to a power of two)
 *   *TransmitBuffers      8..4096      transmit descriptors (rounded down to a power of two)
 *   *InterruptModeration  0 | 1        ITR 0 (an interrupt per completion) or INTERRUPT_THROTTLE_MICROS
 *   NetworkAddress        12 hex       the station address instead of the EEPROM's (unicast only)
 * </pre>
 *
 * @param jumboPacket          *JumboPacket: the largest frame without FCS and 802.1Q tag
 * @param transmitRingSize     transmit descriptors
 * @param receiveRingSize      receive descriptors
 * @param interruptModeration  *InterruptModeration
 * @param networkAddress       NetworkAddress (6 bytes), or null for the permanent address
 */
record VminiConfiguration(
        int jumboPacket,
        int transmitRingSize,
        int receiveRingSize,
        boolean interruptModeration,
        byte[] networkAddress) {

    static final int DEFAULT_JUMBO_PACKET = 1514;
    /** Bytes an 802.1Q tag adds to a frame; *JumboPacket does not count it. */
    static final int VLAN_TAG_LENGTH = 4;

    static final int MAX_JUMBO_PACKET = HardwareLimits.MAX_JUMBO_FRAME_LENGTH - VLAN_TAG_LENGTH;
    static final int DEFAULT_RING_SIZE = 256;

    /** Without a registry: the EEPROM's address, 1514-byte frames, 256-descriptor rings, moderation on. */
    static final VminiConfiguration DEFAULTS =
            new VminiConfiguration(DEFAULT_JUMBO_PACKET, DEFAULT_RING_SIZE, DEFAULT_RING_SIZE, true, null);

    /**
     * Opens the adapter's configuration, reads every keyword, closes it. Runs at PASSIVE_LEVEL
     * (MiniportInitializeEx). A value out of range is replaced by the default; a NetworkAddress that
     * is not a unicast 6-byte address is ignored, as the WDK tells a miniport to do.
     */
    static VminiConfiguration read(NdisMiniportAdapterHandle handle) {
        NdisConfigurationHandle configuration = Ndis.openConfigurationEx(NdisConfigurationObject.of(handle));
        if (configuration == null) {
            return DEFAULTS;
        }
        try {
            int jumbo = integer(
                    configuration, "*JumboPacket", DEFAULT_JUMBO_PACKET, DEFAULT_JUMBO_PACKET, MAX_JUMBO_PACKET);
            int rx = ringSize(integer(
                    configuration,
                    "*ReceiveBuffers",
                    DEFAULT_RING_SIZE,
                    HardwareLimits.MIN_RING_SIZE,
                    HardwareLimits.MAX_RING_SIZE));
            int tx = ringSize(integer(
                    configuration,
                    "*TransmitBuffers",
                    DEFAULT_RING_SIZE,
                    HardwareLimits.MIN_RING_SIZE,
                    HardwareLimits.MAX_RING_SIZE));
            boolean moderation = integer(configuration, "*InterruptModeration", 1, 0, 1) == 1;
            byte[] address = Ndis.readNetworkAddress(configuration);
            if (address != null && (address.length != 6 || (address[0] & 1) != 0 || isZero(address))) {
                address = null; // a group, zero or short address is not a station's: keep the EEPROM's
            }
            return new VminiConfiguration(jumbo, tx, rx, moderation, address);
        } finally {
            Ndis.closeConfiguration(configuration);
        }
    }

    private static int integer(NdisConfigurationHandle configuration, String keyword, int dflt, int min, int max) {
        NdisConfigurationParameter p =
                Ndis.readConfiguration(configuration, keyword, NdisParameterType.NdisParameterInteger);
        if (p == null) {
            return dflt;
        }
        long value = Integer.toUnsignedLong(p.integerData());
        return value < min || value > max ? dflt : (int) value;
    }

    /** The largest power of two not above {@code descriptors}. */
    private static int ringSize(int descriptors) {
        return Integer.highestOneBit(descriptors);
    }

    private static boolean isZero(byte[] address) {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** MTU: payload bytes of the largest frame (OID_GEN_MAXIMUM_FRAME_SIZE, answered by NDIS). */
    int mtu() {
        return jumboPacket - HardwareLimits.ETHERNET_HEADER_LENGTH;
    }

    /** Longest frame the driver hands the device and the device accepts (MAXFRAME): one 802.1Q tag allowed. */
    int maxFrameLength() {
        return jumboPacket + VLAN_TAG_LENGTH;
    }

    /** Bytes of each transmit and receive buffer: the longest frame, rounded up to 2 KiB. */
    int bufferSize() {
        return (maxFrameLength() + 2047) & ~2047;
    }

    /** Receive control blocks: one per postable descriptor (the ring keeps one slot empty). */
    int rcbCount() {
        return receiveRingSize - 1;
    }

    /** ITR: the minimum interval between interrupts, 0 without moderation. */
    int interruptThrottleMicros() {
        return interruptModeration ? VminiHardware.INTERRUPT_THROTTLE_MICROS : 0;
    }
}
