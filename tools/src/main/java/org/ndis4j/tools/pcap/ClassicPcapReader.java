package org.ndis4j.tools.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * Classic pcap, as libpcap writes it: either byte order (told by the magic), microsecond or
 * nanosecond timestamps.
 *
 * <pre>
 * global header (24 bytes)
 * +-------------+-------+-------+----------+---------+---------+---------------------+
 * |    magic    | major | minor | thiszone | sigfigs | snaplen | FCS bits, link type |
 * +-------------+-------+-------+----------+---------+---------+---------------------+
 *  a1b2c3d4 (µs) or a1b23c4d (ns), as written; major 2; link type 1 (Ethernet), no FCS
 * record (16 bytes, then incl_len bytes)
 * +-------------+-------------------+------------+------------+
 * |   ts_sec    | ts_usec / ts_nsec |  incl_len  |  orig_len  |
 * +-------------+-------------------+------------+------------+
 * </pre>
 */
final class ClassicPcapReader extends CaptureReader {

    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;

    private long fractionToNanos;
    private String format;

    ClassicPcapReader(InputStream in) {
        super(in);
    }

    static boolean isMagic(int magic) {
        return magic == MAGIC_MICROS
                || magic == MAGIC_NANOS
                || magic == Integer.reverseBytes(MAGIC_MICROS)
                || magic == Integer.reverseBytes(MAGIC_NANOS);
    }

    @Override
    void start() throws IOException {
        input.order(ByteOrder.BIG_ENDIAN);
        int magic = input.readInt();
        if (magic == Integer.reverseBytes(MAGIC_MICROS) || magic == Integer.reverseBytes(MAGIC_NANOS)) {
            input.order(ByteOrder.LITTLE_ENDIAN);
            magic = Integer.reverseBytes(magic);
        }
        boolean nanos = magic == MAGIC_NANOS;
        fractionToNanos = nanos ? 1 : 1000;
        int major = input.readUnsignedShort();
        int minor = input.readUnsignedShort();
        if (major != 2) {
            throw new CaptureFormatException(4, "pcap version " + major + "." + minor + " is not 2.x");
        }
        input.skip(8); // thiszone, sigfigs: always 0 in practice, and unused
        input.readInt(); // snaplen: records are checked against MAX_CAPTURED_LENGTH instead
        int linkTypeField = input.readInt();
        if ((linkTypeField & 0x1000_0000) != 0) {
            throw new CaptureFormatException(
                    20,
                    "the frames carry an FCS (link type field 0x" + Integer.toHexString(linkTypeField)
                            + "); only frames without FCS are supported");
        }
        int linkType = linkTypeField & 0xFFFF;
        if (linkType != LINKTYPE_ETHERNET) {
            throw new CaptureFormatException(
                    20, "link type " + linkType + " is not Ethernet (1); only Ethernet captures are supported");
        }
        format = "pcap (" + (input.order() == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, "
                + (nanos ? "ns" : "µs") + ")";
    }

    @Override
    CapturedFrame read() throws IOException {
        if (input.atEnd()) {
            return null;
        }
        long at = input.offset();
        long seconds = input.readInt() & 0xFFFF_FFFFL;
        long fraction = input.readInt() & 0xFFFF_FFFFL;
        long captured = input.readInt() & 0xFFFF_FFFFL;
        long original = input.readInt() & 0xFFFF_FFFFL;
        if (captured > MAX_CAPTURED_LENGTH) {
            throw new CaptureFormatException(
                    at, "record length " + captured + " exceeds " + MAX_CAPTURED_LENGTH + " (a corrupt record)");
        }
        byte[] data = new byte[(int) captured];
        input.readFully(data, 0, data.length);
        int originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured));
        return new CapturedFrame(at, seconds * 1_000_000_000L + fraction * fractionToNanos, originalLength, data);
    }

    @Override
    String headerName() {
        return "24-byte pcap header";
    }

    @Override
    public String format() {
        return format;
    }
}
