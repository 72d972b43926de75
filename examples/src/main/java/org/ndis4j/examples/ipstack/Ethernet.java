package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;

/**
 * Ethernet II framing as ipstack reads and writes it. MAC addresses are 48-bit numbers in a
 * {@code long}, as the kit and the virtual NIC write them.
 *
 * <pre>
 *   0            6            12         14                              ≥ 60 (padded)
 *   ┌────────────┬────────────┬──────────┬─────────────────────────────────┐
 *   │ destination│ source     │ EtherType│ payload (ARP, IPv4, …)           │
 *   └────────────┴────────────┴──────────┴─────────────────────────────────┘
 * </pre>
 * Frames shorter than 60 bytes (without FCS) are padded with zeros before they are sent, as IEEE
 * 802.3 requires of a station and as the NIC's peers (QEMU, Linux) expect.
 */
final class Ethernet {

    static final int HEADER_LENGTH = 14;
    /** The shortest frame on the wire, without the 4-byte FCS. */
    static final int MINIMUM_FRAME_LENGTH = 60;
    /** The longest untagged frame on a standard adapter, without FCS: 14 + a 1500-byte MTU. */
    static final int MAXIMUM_FRAME_LENGTH = 1514;
    /** ipstack binds to adapters whose MTU (NDIS_BIND_PARAMETERS.MtuSize) is within these. */
    static final int MINIMUM_MTU = 576;

    static final int MAXIMUM_MTU = 9000;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_VLAN = 0x8100;

    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private Ethernet() {}

    /**
     * The destination of a frame of at least {@link #HEADER_LENGTH} bytes, in one 8-byte read (where
     * {@link #readMac} takes two).
     */
    static long destination(ByteBuf frame, int offset) {
        return frame.getLong(offset) >>> 16;
    }

    static long source(ByteBuf frame, int offset) {
        return readMac(frame, offset + 6);
    }

    static int etherType(ByteBuf frame, int offset) {
        return frame.getUnsignedShort(offset + 12);
    }

    /** True for a group (multicast or broadcast) address: the I/G bit of the first octet. */
    static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /**
     * Writes the header at {@code offset}; returns the offset of the payload. Three writes for the 14
     * bytes: each buffer access pays Netty's reference-count and bounds checks, so fewer, wider ones.
     */
    static int writeHeader(ByteBuf frame, int offset, long destination, long source, int etherType) {
        frame.setLong(offset, destination << 16 | source >>> 32);
        frame.setInt(offset + 8, (int) source);
        frame.setShort(offset + 12, etherType);
        return offset + HEADER_LENGTH;
    }

    /**
     * Sets the destination of a header written with {@code source} as its source: one 8-byte write of
     * the destination and the source's first two bytes, where the address alone takes two writes.
     */
    static void setDestination(ByteBuf frame, int offset, long destination, long source) {
        frame.setLong(offset, destination << 16 | source >>> 32);
    }

    static long readMac(ByteBuf buf, int index) {
        return (long) buf.getUnsignedShort(index) << 32 | buf.getUnsignedInt(index + 2);
    }

    static void writeMac(ByteBuf buf, int index, long mac) {
        buf.setShort(index, (int) (mac >>> 32));
        buf.setInt(index + 2, (int) mac);
    }

    /** The 48-bit address of six bytes (NDIS_BIND_PARAMETERS' CurrentMacAddress). */
    static long mac(byte[] address) {
        long mac = 0;
        for (byte b : address) {
            mac = mac << 8 | (b & 0xff);
        }
        return mac;
    }

    /** The six bytes of a 48-bit address, as an OID's payload carries it. */
    static byte[] macBytes(long mac) {
        byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return bytes;
    }

    /** {@code 02:4e:44:00:00:01}. */
    static String formatMac(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                s.append(':');
            }
            int octet = (int) (mac >>> shift) & 0xff;
            s.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return s.toString();
    }
}
