package org.ndis4j.testing;

/**
 * The Internet checksum (RFC 1071): the ones'-complement of the ones'-complement sum of 16-bit
 * big-endian words, an odd last byte padded with zero. Written for the test kit alone, from the
 * RFC, so that it shares no code with any driver or protocol it checks.
 */
final class Checksums {

    private Checksums() {}

    /** The ones'-complement sum of {@code length} bytes at {@code offset}, added to {@code sum}, unfolded. */
    static long add(long sum, byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (bytes[i] & 0xff) << 8;
        }
        return sum;
    }

    /** The sum of the IPv4 pseudo-header UDP and TCP checksums cover (RFC 768). */
    static long pseudoHeader(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
    }

    /** Folds the carries into 16 bits and complements: the checksum to write. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code length} bytes at {@code offset}. A span that holds its own correct checksum gives 0. */
    static int of(byte[] bytes, int offset, int length) {
        return finish(add(0, bytes, offset, length));
    }
}
