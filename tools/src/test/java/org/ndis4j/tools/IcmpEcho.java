package org.ndis4j.tools;

import java.nio.ByteBuffer;
import org.ndis4j.examples.ipstack.Ipv4Address;
import org.ndis4j.nic.MacAddress;

/**
 * An ICMP echo request in an Ethernet frame, written by hand (RFC 791, RFC 792) so that the code under
 * test does not make its own input:
 *
 * <pre>
 *  Ethernet: dst(6) src(6) 0x0800 | IPv4: 45 00 len id 0 ttl=64 proto=1 csum src dst | ICMP: 8 0 csum id seq data
 * </pre>
 */
final class IcmpEcho {

    private IcmpEcho() {}

    static byte[] request(MacAddress dst, MacAddress src, String from, String to, int id, int seq, int dataLength) {
        int ipLength = 20 + 8 + dataLength;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        b.put(dst.bytes()).put(src.bytes()).putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength);
        b.putShort((short) seq).putShort((short) 0); // identification, no fragments
        b.put((byte) 64).put((byte) 1).putShort((short) 0); // TTL, ICMP, checksum later
        b.putInt(Ipv4Address.parse(from)).putInt(Ipv4Address.parse(to));
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20));
        int icmp = b.position();
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq);
        for (int i = 0; i < dataLength; i++) {
            b.put((byte) i);
        }
        b.putShort(icmp + 2, (short) checksum(b.array(), icmp, 8 + dataLength));
        return b.array();
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}. */
    static int checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[offset + i] & 0xff;
            int lo = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
