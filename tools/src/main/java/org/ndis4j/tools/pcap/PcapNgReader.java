package org.ndis4j.tools.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng, what Wireshark and tshark write by default: a file of sections, each a section header
 * block (whose byte-order magic sets the order of the section) and the blocks that follow it.
 * Interface description blocks (link type, snap length, timestamp resolution and offset), enhanced
 * packet blocks and simple packet blocks are read; every other block is skipped by its length.
 *
 * <pre>
 * every block                                      section header block (type 0a0d0d0a)
 * +------------+--------------+------+--------------+   +----------+-------+-------+----------------+---------+
 * | block type | total length | body | total length |   | 1a2b3c4d | major | minor | section length | options |
 * +------------+--------------+------+--------------+   +----------+-------+-------+----------------+---------+
 *  total length: a multiple of 4, at least 12           byte-order magic, as written; major 1
 * interface description (type 1)                   enhanced packet (type 6)
 * +-----------+----------+---------+---------+      +-----------+---------+---------+---------+----------+------+---------+
 * | link type | reserved | snaplen | options |      | interface | ts high | ts low  | cap len | orig len | data | options |
 * +-----------+----------+---------+---------+      +-----------+---------+---------+---------+----------+------+---------+
 * simple packet (type 3): original length, then the data (cut at interface 0's snap length)
 * </pre>
 */
final class PcapNgReader extends CaptureReader {

    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    /** The largest block whose body is read into memory (headers and options); packets are bounded apart. */
    private static final int MAX_OPTIONS_LENGTH = 1 << 20;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int OPT_END = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    /** An interface of the current section. */
    private record Interface(long offset, int linkType, long snapLength, long unitsPerSecond, long offsetSeconds) {}

    private final List<Interface> interfaces = new ArrayList<>();
    private boolean bothOrders;
    private ByteOrder firstOrder;

    PcapNgReader(InputStream in) {
        super(in);
    }

    static boolean isSectionHeader(int magic) {
        return magic == SECTION_HEADER;
    }

    /** The first section header (its magic was checked by {@link CaptureReader#open}). */
    @Override
    void start() throws IOException {
        input.readInt();
        sectionHeader(0);
    }

    @Override
    CapturedFrame read() throws IOException {
        while (!input.atEnd()) {
            long at = input.offset();
            recordStart = at;
            int type = input.readInt();
            if (type == SECTION_HEADER) {
                sectionHeader(at);
                continue;
            }
            long length = input.readInt() & 0xFFFF_FFFFL;
            checkLength(at, type, length, 12);
            CapturedFrame frame = switch (type) {
                case INTERFACE_DESCRIPTION -> {
                    interfaceDescription(at, length);
                    yield null;
                }
                case ENHANCED_PACKET -> enhancedPacket(at, length);
                case SIMPLE_PACKET -> simplePacket(at, length);
                default -> {
                    input.skip(length - 12); // a block this reader does not need
                    yield null;
                }
            };
            trailer(at, length);
            if (frame != null) {
                return frame;
            }
        }
        return null;
    }

    private static void checkLength(long at, int type, long length, int minimum) throws CaptureFormatException {
        if (length % 4 != 0 || length < minimum) {
            throw new CaptureFormatException(
                    at,
                    String.format(
                            "block type 0x%08x has total length %d (a multiple of 4, at least %d, is needed)",
                            type, length, minimum));
        }
    }

    /** The total length repeated at the end of every block. */
    private void trailer(long at, long length) throws IOException {
        long again = input.readInt() & 0xFFFF_FFFFL;
        if (again != length) {
            throw new CaptureFormatException(
                    at, "block's trailing total length " + again + " differs from its leading " + length);
        }
    }

    /** A new section: its own byte order, its own interfaces. */
    private void sectionHeader(long at) throws IOException {
        byte[] raw = new byte[8];
        input.readFully(raw, 0, 8); // total length, byte-order magic: read both before the order is known
        ByteOrder order = ByteBuffer.wrap(raw, 4, 4).getInt() == BYTE_ORDER_MAGIC
                ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer fields = ByteBuffer.wrap(raw).order(order);
        if (fields.getInt(4) != BYTE_ORDER_MAGIC) {
            throw new CaptureFormatException(
                    at + 8,
                    String.format(
                            "section header's byte-order magic is 0x%08x, not 1a2b3c4d in either order",
                            fields.getInt(4)));
        }
        input.order(order);
        if (firstOrder == null) {
            firstOrder = order;
        } else if (order != firstOrder) {
            bothOrders = true;
        }
        long length = fields.getInt(0) & 0xFFFF_FFFFL;
        checkLength(at, SECTION_HEADER, length, 28);
        int major = input.readUnsignedShort();
        int minor = input.readUnsignedShort();
        if (major != 1) {
            throw new CaptureFormatException(at + 12, "pcapng version " + major + "." + minor + " is not 1.x");
        }
        input.skip(length - 20); // section length and options: not needed to read the packets
        trailer(at, length);
        interfaces.clear();
    }

    private void interfaceDescription(long at, long length) throws IOException {
        checkLength(at, INTERFACE_DESCRIPTION, length, 20);
        int linkType = input.readUnsignedShort();
        input.readUnsignedShort(); // reserved
        long snapLength = input.readInt() & 0xFFFF_FFFFL;
        long unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        long optionsLength = length - 20;
        if (optionsLength > MAX_OPTIONS_LENGTH) {
            throw new CaptureFormatException(
                    at, "interface description block of " + length + " bytes: options beyond " + MAX_OPTIONS_LENGTH);
        }
        byte[] options = new byte[(int) optionsLength];
        input.readFully(options, 0, options.length);
        ByteBuffer o = ByteBuffer.wrap(options).order(input.order());
        while (o.remaining() >= 4) {
            int code = o.getShort() & 0xFFFF;
            int valueLength = o.getShort() & 0xFFFF;
            if (code == OPT_END) {
                break;
            }
            int padded = (valueLength + 3) & ~3;
            if (padded > o.remaining()) {
                throw new CaptureFormatException(
                        at + 20 + o.position() - 4,
                        "option " + code + " of length " + valueLength + " runs past the end of its block");
            }
            int value = o.position();
            if (code == IF_TSRESOL && valueLength == 1) {
                unitsPerSecond = unitsPerSecond(at + 20 + value, options[value]);
            } else if (code == IF_TSOFFSET && valueLength == 8) {
                offsetSeconds = o.getLong(value);
            }
            o.position(value + padded);
        }
        interfaces.add(new Interface(at, linkType, snapLength, unitsPerSecond, offsetSeconds));
    }

    /** if_tsresol: 10^-n seconds, or 2^-n with the top bit set. */
    private static long unitsPerSecond(long at, byte resolution) throws CaptureFormatException {
        int n = resolution & 0x7F;
        boolean binary = (resolution & 0x80) != 0;
        if (binary ? n > 62 : n > 18) {
            throw new CaptureFormatException(
                    at, "timestamp resolution " + (binary ? "2^-" : "10^-") + n + " is finer than supported");
        }
        return binary ? 1L << n : BigInteger.TEN.pow(n).longValueExact();
    }

    private Interface interfaceOf(long at, long id) throws CaptureFormatException {
        if (id >= interfaces.size()) {
            throw new CaptureFormatException(
                    at, "packet on interface " + id + ", but the section describes " + interfaces.size());
        }
        Interface i = interfaces.get((int) id);
        if (i.linkType() != LINKTYPE_ETHERNET) {
            throw new CaptureFormatException(
                    at,
                    "packet on interface " + id + " of link type " + i.linkType() + " (described at offset "
                            + i.offset() + "); only Ethernet (1) is supported");
        }
        return i;
    }

    private CapturedFrame enhancedPacket(long at, long length) throws IOException {
        checkLength(at, ENHANCED_PACKET, length, 32);
        long id = input.readInt() & 0xFFFF_FFFFL;
        long high = input.readInt() & 0xFFFF_FFFFL;
        long low = input.readInt() & 0xFFFF_FFFFL;
        long captured = input.readInt() & 0xFFFF_FFFFL;
        long original = input.readInt() & 0xFFFF_FFFFL;
        Interface i = interfaceOf(at, id);
        long padded = (captured + 3) & ~3L;
        if (captured > MAX_CAPTURED_LENGTH || padded > length - 32) {
            throw new CaptureFormatException(
                    at,
                    "captured length " + captured + " does not fit its block of " + length + " bytes (or exceeds "
                            + MAX_CAPTURED_LENGTH + ")");
        }
        byte[] data = new byte[(int) captured];
        input.readFully(data, 0, data.length);
        input.skip(length - 32 - captured); // padding and options
        return new CapturedFrame(
                at,
                epochNanos(i, (high << 32) | low),
                (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured)),
                data);
    }

    private CapturedFrame simplePacket(long at, long length) throws IOException {
        checkLength(at, SIMPLE_PACKET, length, 16);
        long original = input.readInt() & 0xFFFF_FFFFL;
        Interface i = interfaceOf(at, 0);
        long captured = Math.min(original, length - 16);
        if (i.snapLength() != 0) {
            captured = Math.min(captured, i.snapLength());
        }
        if (captured > MAX_CAPTURED_LENGTH) {
            throw new CaptureFormatException(
                    at, "simple packet of " + captured + " captured bytes exceeds " + MAX_CAPTURED_LENGTH);
        }
        byte[] data = new byte[(int) captured];
        input.readFully(data, 0, data.length);
        input.skip(length - 16 - captured);
        return new CapturedFrame(at, 0, (int) Math.min(Integer.MAX_VALUE, original), data);
    }

    /** The timestamp in nanoseconds since 1970; saturates instead of overflowing on absurd values. */
    private static long epochNanos(Interface i, long units) {
        long perSecond = i.unitsPerSecond();
        if (units >= 0 && perSecond <= NANOS_PER_SECOND && NANOS_PER_SECOND % perSecond == 0) {
            long factor = NANOS_PER_SECOND / perSecond; // the common case: µs, ns, ms
            if (Math.multiplyHigh(units, factor) == 0 && units * factor >= 0) {
                return saturatedAdd(units * factor, i.offsetSeconds(), NANOS_PER_SECOND);
            }
        }
        BigInteger nanos = new BigInteger(Long.toUnsignedString(units))
                .multiply(BigInteger.valueOf(NANOS_PER_SECOND))
                .divide(BigInteger.valueOf(perSecond))
                .add(BigInteger.valueOf(i.offsetSeconds()).multiply(BigInteger.valueOf(NANOS_PER_SECOND)));
        return nanos.bitLength() < 64 ? nanos.longValue() : (nanos.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    private static long saturatedAdd(long nanos, long seconds, long nanosPerSecond) {
        BigInteger sum = BigInteger.valueOf(seconds)
                .multiply(BigInteger.valueOf(nanosPerSecond))
                .add(BigInteger.valueOf(nanos));
        return sum.bitLength() < 64 ? sum.longValue() : (sum.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    @Override
    String headerName() {
        return "first section header block";
    }

    @Override
    public String format() {
        String order = bothOrders
                ? "sections in both byte orders"
                : (firstOrder == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian");
        return "pcapng (" + order + ")";
    }
}
