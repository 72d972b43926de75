package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words, an odd last byte padded with zero. IPv4 headers, ICMP messages and UDP datagrams (with the
 * pseudo-header of RFC 768) carry it; a packet whose checksum field is right sums to 0xFFFF, so
 * {@link #finish} of its sum is 0.
 *
 * <p>The sum is taken eight bytes a read, little-endian (the order of x86 and ARM, so no swap): a 64-bit read
 * holds four 16-bit words, and since 2¹⁶ ≡ 1 modulo 0xFFFF, adding its two 32-bit halves adds the
 * four words (RFC 1071 §2(B)); a sum of byte-swapped words is the byte-swapped sum (§2(B) again), so
 * the little-endian sum is folded and swapped once at the end. Over a heap buffer the reads go
 * straight to its array after one reference-count and one bounds check for the whole range (a
 * per-word {@link ByteBuf#getUnsignedShort} pays both for every two bytes, and byte-wise array reads
 * were still four times slower than this: the receive checksum was the top frame of a host at 1514
 * bytes); over a direct buffer through one NIO view of the range (from {@link #NIO_VIEW_MIN} bytes on);
 * over shorter direct ranges and composite buffers through the buffer's own accessors.
 */
final class Checksum {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The shortest range of a direct buffer read through an NIO view: making the view costs two
     * objects, more than a few accessor calls (an IPv4 header's 20 bytes took longer that way).
     */
    static final int NIO_VIEW_MIN = 128;

    private Checksum() {}

    /** Adds {@code length} bytes of {@code buf} from absolute index {@code offset} to {@code sum}. */
    static long add(long sum, ByteBuf buf, int offset, int length) {
        if (buf.refCnt() == 0) {
            throw new IllegalReferenceCountException(0); // a derived buffer's own count, as its accessors check
        }
        if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
            throw new IndexOutOfBoundsException(
                    "checksum over " + offset + "+" + length + " of a " + buf.capacity() + "-byte buffer");
        }
        if (buf.hasArray()) {
            return add(sum, buf.array(), buf.arrayOffset() + offset, length);
        }
        if (length >= NIO_VIEW_MIN && buf.nioBufferCount() == 1) {
            return add(sum, buf.nioBuffer(offset, length).order(ByteOrder.LITTLE_ENDIAN), length);
        }
        return addByWords(sum, buf, offset, length);
    }

    private static long add(long sum, byte[] a, int offset, int length) {
        int i = offset;
        int end = offset + length;
        long le = 0;
        // Fast from C1 on (146 ns per 1,480 bytes with C1 alone, byte reads 703): unlike the
        // big-endian view tried before, which byte-swaps every read and was slow until C2.
        for (; i <= end - 8; i += 8) {
            long w = (long) LONGS.get(a, i);
            le += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        sum += swappedFold(le);
        for (; i <= end - 2; i += 2) {
            sum += (a[i] & 0xFF) << 8 | (a[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (a[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** {@code nio} is the range itself, little-endian. */
    private static long add(long sum, ByteBuffer nio, int length) {
        int i = 0;
        long le = 0;
        for (; i <= length - 8; i += 8) {
            long w = nio.getLong(i);
            le += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        sum += swappedFold(le);
        for (; i <= length - 2; i += 2) {
            sum += (nio.get(i) & 0xFF) << 8 | (nio.get(i + 1) & 0xFF);
        }
        if (i < length) {
            sum += (nio.get(i) & 0xFF) << 8;
        }
        return sum;
    }

    /** A sum of little-endian words, folded to 16 bits and byte-swapped: the same sum of big-endian words. */
    private static long swappedFold(long le) {
        while ((le >>> 16) != 0) {
            le = (le & 0xFFFF) + (le >>> 16);
        }
        return (le & 0xFF) << 8 | le >>> 8;
    }

    /** A composite buffer, or a short direct range: eight bytes a read through the buffer's own accessors. */
    private static long addByWords(long sum, ByteBuf buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i <= end - 8; i += 8) {
            long w = buf.getLong(i);
            sum += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        if (i <= end - 4) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i <= end - 2) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** The sum of the four 16-bit words of {@code word}, eight bytes as {@link ByteBuf#getLong} reads them. */
    static long words(long word) {
        return (word >>> 48) + (word >>> 32 & 0xffff) + (word >>> 16 & 0xffff) + (word & 0xffff);
    }

    /** The sum of the two 16-bit words of {@code word}. */
    static long words(int word) {
        return (word >>> 16) + (word & 0xffff);
    }

    /** The sum of the IPv4 pseudo-header UDP (and TCP) checksums cover. */
    static long pseudoHeader(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
    }

    /** Folds a sum to 16 bits and complements it: the value to store, or 0 when a packet checks out. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code length} bytes from {@code offset}. */
    static int of(ByteBuf buf, int offset, int length) {
        return finish(add(0, buf, offset, length));
    }
}
