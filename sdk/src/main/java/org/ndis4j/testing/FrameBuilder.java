package org.ndis4j.testing;

import java.nio.ByteBuffer;

/**
 * Builds Ethernet frames for tests: an Ethernet header (optionally 802.1Q-tagged), then raw
 * payload, a numbered test pattern, ARP, or IPv4 carrying ICMP echo or UDP — lengths and checksums
 * computed as the RFCs say ({@link Frame} takes them apart again). Written for the test kit alone,
 * independently of any driver's or protocol's codec.
 *
 * <pre>
 *   byte[] arp  = FrameBuilder.ethernet(BROADCAST_MAC, peerMac).arpRequest(peerIp, nicIp);
 *   byte[] ping = FrameBuilder.ethernet(nicMac, peerMac).ipv4(peerIp, nicIp).icmpEchoRequest(7, 1, data);
 *   byte[] udp  = FrameBuilder.ethernet(nicMac, peerMac).vlan(5).ipv4(peerIp, nicIp).udp(5000, 7, payload);
 *   byte[] test = FrameBuilder.ethernet(nicMac, peerMac).testPattern(1514, 42);  // EtherType 0x88B5
 * </pre>
 *
 * A builder is cheap and not thread-safe; its terminal methods (those returning {@code byte[]}) may
 * be called more than once. No padding is added: the virtual wire carries frames of any length
 * from 14 bytes up, and a real NIC pads short frames itself.
 */
public final class FrameBuilder {

    private final long destination;
    private final long source;
    private int vlanTci = -1;
    private boolean ip;
    private int ipSource;
    private int ipDestination;
    private int ttl = 64;
    private int identification;
    private boolean dontFragment = true;

    private FrameBuilder(long destination, long source) {
        this.destination = checkMac(destination);
        this.source = checkMac(source);
    }

    /** A frame from {@code source} to {@code destination} (48-bit MACs, see {@link Addresses}). */
    public static FrameBuilder ethernet(long destination, long source) {
        return new FrameBuilder(destination, source);
    }

    /** Tags the frame with VLAN {@code vlanId} (1..4094), priority 0. */
    public FrameBuilder vlan(int vlanId) {
        return vlan(0, vlanId);
    }

    /** Tags the frame with an 802.1Q header: priority code point {@code priority} (0..7), VLAN {@code vlanId}. */
    public FrameBuilder vlan(int priority, int vlanId) {
        if (priority < 0 || priority > 7 || vlanId < 0 || vlanId > 4095) {
            throw new IllegalArgumentException(
                    "802.1Q priority " + priority + " (0..7), VLAN " + vlanId + " (0..4095)");
        }
        vlanTci = priority << 13 | vlanId;
        return this;
    }

    /** Adds an IPv4 header from {@code source} to {@code destination}: TTL 64, identification 0, DF set. */
    public FrameBuilder ipv4(int source, int destination) {
        ip = true;
        ipSource = source;
        ipDestination = destination;
        return this;
    }

    public FrameBuilder ttl(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TTL " + value + " is outside 0..255");
        }
        ttl = value;
        return this;
    }

    public FrameBuilder identification(int value) {
        identification = value & 0xffff;
        return this;
    }

    public FrameBuilder dontFragment(boolean value) {
        dontFragment = value;
        return this;
    }

    // ---- terminals -------------------------------------------------------------------------------

    /** The frame with EtherType {@code etherType} and {@code payload} after the header. */
    public byte[] payload(int etherType, byte[] payload) {
        ByteBuffer b = header(etherType, payload.length);
        return b.put(payload).array();
    }

    /**
     * A test frame of exactly {@code length} bytes (header included), EtherType 0x88B5 (local
     * experimental), whose byte {@code i} after the header is {@code (byte) (seq * 31 + i)}: frames
     * with different {@code seq} differ, and a byte out of place shows.
     */
    public byte[] testPattern(int length, int seq) {
        int header = headerLength();
        if (length < header) {
            throw new IllegalArgumentException(
                    "a frame of " + length + " bytes has no room for its " + header + "-byte header");
        }
        ByteBuffer b = header(Frame.ETHERTYPE_EXPERIMENTAL, length - header);
        for (int i = header; i < length; i++) {
            b.put((byte) (seq * 31 + i));
        }
        return b.array();
    }

    /** ARP request (RFC 826): who has {@code targetIp}? tell {@code senderIp} at this frame's source MAC. */
    public byte[] arpRequest(int senderIp, int targetIp) {
        return arp(Frame.ARP_REQUEST, senderIp, 0, targetIp);
    }

    /** ARP reply: {@code senderIp} is at this frame's source MAC, to {@code targetMac}/{@code targetIp}. */
    public byte[] arpReply(int senderIp, long targetMac, int targetIp) {
        return arp(Frame.ARP_REPLY, senderIp, checkMac(targetMac), targetIp);
    }

    private byte[] arp(int operation, int senderIp, long targetMac, int targetIp) {
        ByteBuffer b = header(Frame.ETHERTYPE_ARP, 28);
        b.putShort((short) 1)
                .putShort((short) Frame.ETHERTYPE_IPV4)
                .put((byte) 6)
                .put((byte) 4);
        b.putShort((short) operation);
        putMac(b, source).putInt(senderIp);
        putMac(b, targetMac).putInt(targetIp);
        return b.array();
    }

    /** ICMP echo request (RFC 792) over the IPv4 header set with {@link #ipv4}. */
    public byte[] icmpEchoRequest(int identifier, int sequence, byte[] data) {
        return icmpEcho(Frame.ICMP_ECHO_REQUEST, identifier, sequence, data);
    }

    /** ICMP echo reply, echoing {@code data}. */
    public byte[] icmpEchoReply(int identifier, int sequence, byte[] data) {
        return icmpEcho(Frame.ICMP_ECHO_REPLY, identifier, sequence, data);
    }

    private byte[] icmpEcho(int type, int identifier, int sequence, byte[] data) {
        byte[] icmp = ByteBuffer.allocate(8 + data.length)
                .put((byte) type)
                .put((byte) 0)
                .putShort((short) 0)
                .putShort((short) identifier)
                .putShort((short) sequence)
                .put(data)
                .array();
        int checksum = Checksums.of(icmp, 0, icmp.length);
        icmp[2] = (byte) (checksum >>> 8);
        icmp[3] = (byte) checksum;
        return ipv4Packet(Frame.IP_PROTOCOL_ICMP, icmp);
    }

    /** A UDP datagram (RFC 768), checksum over the pseudo-header, over the IPv4 header set with {@link #ipv4}. */
    public byte[] udp(int sourcePort, int destinationPort, byte[] payload) {
        int length = 8 + payload.length;
        if (length > 0xffff) {
            throw new IllegalArgumentException("UDP payload of " + payload.length + " bytes does not fit a datagram");
        }
        byte[] udp = ByteBuffer.allocate(length)
                .putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putShort((short) length)
                .putShort((short) 0)
                .put(payload)
                .array();
        requireIp("UDP");
        long sum = Checksums.add(
                Checksums.pseudoHeader(ipSource, ipDestination, Frame.IP_PROTOCOL_UDP, length), udp, 0, length);
        int checksum = Checksums.finish(sum);
        if (checksum == 0) {
            checksum = 0xffff; // 0 would mean "no checksum"
        }
        udp[6] = (byte) (checksum >>> 8);
        udp[7] = (byte) checksum;
        return ipv4Packet(Frame.IP_PROTOCOL_UDP, udp);
    }

    /** An IPv4 packet carrying {@code protocol}'s {@code payload} as is (its checksums are the caller's). */
    public byte[] ipv4Packet(int protocol, byte[] payload) {
        requireIp("an IPv4 packet");
        int total = 20 + payload.length;
        if (total > 0xffff) {
            throw new IllegalArgumentException("IPv4 packet of " + total + " bytes exceeds 65535");
        }
        byte[] header = ByteBuffer.allocate(20)
                .put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) identification)
                .putShort((short) (dontFragment ? 0x4000 : 0))
                .put((byte) ttl)
                .put((byte) protocol)
                .putShort((short) 0)
                .putInt(ipSource)
                .putInt(ipDestination)
                .array();
        int checksum = Checksums.of(header, 0, 20);
        header[10] = (byte) (checksum >>> 8);
        header[11] = (byte) checksum;
        return header(Frame.ETHERTYPE_IPV4, total).put(header).put(payload).array();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private int headerLength() {
        return vlanTci < 0 ? Frame.ETHERNET_HEADER_LENGTH : Frame.ETHERNET_HEADER_LENGTH + 4;
    }

    /** A buffer of the whole frame with its Ethernet header written. */
    private ByteBuffer header(int etherType, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(headerLength() + payloadLength);
        putMac(b, destination);
        putMac(b, source);
        if (vlanTci >= 0) {
            b.putShort((short) Frame.ETHERTYPE_VLAN).putShort((short) vlanTci);
        }
        return b.putShort((short) etherType);
    }

    private void requireIp(String what) {
        if (!ip) {
            throw new IllegalStateException(what + " needs ipv4(source, destination) first");
        }
    }

    private static ByteBuffer putMac(ByteBuffer b, long mac) {
        return b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static long checkMac(long mac) {
        if ((mac & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("not a 48-bit MAC: 0x" + Long.toHexString(mac));
        }
        return mac;
    }
}
