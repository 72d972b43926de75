package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words, an odd last byte padded with zero. IPv4 headers, ICMP messages and UDP datagrams (with the
 * pseudo-header of RFC 768) carry it; a packet whose checksum field is right sums to 0xFFFF, so
 * {@link #finish} of its sum is 0.
 *
 * <p>Over a heap buffer the words are read straight from its array after one reference-count and
 * one bounds check for the whole range; a per-word {@link ByteBuf#getUnsignedShort} pays both checks
 * (twice through a slice) for every two bytes, which was a third of a host's send path at 1514
 * bytes. Over other buffers the sum is taken eight bytes a read: a 32-bit word {@code hi·2¹⁶ + lo}
 * is congruent to {@code hi + lo} modulo 0xFFFF, so summing the two 32-bit halves of each 64-bit
 * read and folding at the end gives the 16-bit sum (RFC 1071 §2(B)).
 */
final class Checksum {

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
        return buf.hasArray()
                ? add(sum, buf.array(), buf.arrayOffset() + offset, length)
                : addByWords(sum, buf, offset, length);
    }

    private static long add(long sum, byte[] a, int offset, int length) {
        int i = offset;
        int end = offset + length;
        // Plain array reads, two 16-bit words a step: fast in every JIT tier (a VarHandle view was
        // slower than the per-word accessors until C2 compiled it, which a loaded machine delays).
        for (; i <= end - 4; i += 4) {
            sum += ((a[i] & 0xFF) << 8 | (a[i + 1] & 0xFF)) + ((a[i + 2] & 0xFF) << 8 | (a[i + 3] & 0xFF));
        }
        if (i <= end - 2) {
            sum += (a[i] & 0xFF) << 8 | (a[i + 1] & 0xFF);
            i += 2;
        }
        if (i < end) {
            sum += (a[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** A direct or composite buffer: eight bytes a read through the buffer's own accessors. */
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
