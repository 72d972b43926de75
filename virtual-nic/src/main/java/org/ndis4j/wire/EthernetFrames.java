package org.ndis4j.wire;

import io.netty.buffer.ByteBuf;

/**
 * Ethernet frame limits and header accessors the wire needs. Frames carry no FCS.
 *
 * <pre>
 *  0                6                12      14
 * +----------------+----------------+-------+------------------ ... --+
 * | destination MAC|   source MAC   | type  | payload                  |
 * +----------------+----------------+-------+------------------ ... --+
 * </pre>
 */
public final class EthernetFrames {

    /** Destination, source, EtherType: the shortest frame a wire accepts. */
    public static final int HEADER_LENGTH = 14;

    /** A jumbo payload (9000) plus the header and one VLAN tag: the default frame limit. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 9018;

    /** The largest frame QEMU accepts before it drops the connection. */
    public static final int QEMU_MAX_FRAME_LENGTH = 69632;

    private EthernetFrames() {}

    /** The 48-bit MAC address at {@code index} as a long (first octet most significant). */
    public static long macAt(ByteBuf buf, int index) {
        return (buf.getUnsignedInt(index) << 16) | buf.getUnsignedShort(index + 4);
    }

    /** The destination MAC of the frame at {@code frame}: one 8-byte read (a frame has at least 14 bytes). */
    static long destinationAt(ByteBuf buf, int frame) {
        return buf.getLong(frame) >>> 16;
    }

    /** The source MAC of the frame at {@code frame}: one 8-byte read ending at the EtherType. */
    static long sourceAt(ByteBuf buf, int frame) {
        return buf.getLong(frame + 6) >>> 16;
    }

    /** True for group addresses (multicast and broadcast): the I/G bit of the first octet. */
    public static boolean isGroupAddress(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The usual colon-separated notation, for logs and tables. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xff;
            if (shift != 40) {
                sb.append(':');
            }
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return sb.toString();
    }

    /** Checks a frame limit a user configured: at least a header, at most what QEMU carries. */
    public static int checkMaxFrameLength(int maxFrameLength) {
        if (maxFrameLength < HEADER_LENGTH || maxFrameLength > QEMU_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maximum frame length " + maxFrameLength + " is outside " + HEADER_LENGTH
                    + ".." + QEMU_MAX_FRAME_LENGTH);
        }
        return maxFrameLength;
    }
}
