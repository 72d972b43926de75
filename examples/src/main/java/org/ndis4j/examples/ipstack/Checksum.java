package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words, an odd last byte padded with zero. IPv4 headers, ICMP messages and UDP datagrams (with the
 * pseudo-header of RFC 768) carry it; a packet whose checksum field is right sums to 0xFFFF, so
 * {@link #finish} of its sum is 0.
 */
final class Checksum {

    private Checksum() {}

    /** Adds {@code length} bytes of {@code buf} from absolute index {@code offset} to {@code sum}. */
    static long add(long sum, ByteBuf buf, int offset, int length) {
        int end = offset + length - 1;
        int i = offset;
        for (; i < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i == end) {
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
