package org.ndis4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An Ethernet frame taken apart for a test: its header (and 802.1Q tag), and where the EtherType
 * says so its ARP packet, IPv4 header, ICMP echo message or UDP datagram — each length and checksum
 * checked against the bytes. Written from the RFCs for the test kit alone (see {@link FrameBuilder}),
 * independently of any driver's or protocol's codec, so a bug shared by both sides of a test cannot
 * hide.
 *
 * <pre>
 *  0      6      12         14/18
 * +------+------+----------+--------------------------------------------------+
 * | dst  | src  | [8100 TCI] type | ARP (0806) | IPv4 (0800) → ICMP (1) / UDP (17) |
 * +------+------+----------+--------------------------------------------------+
 * </pre>
 *
 * {@link #parse} never throws for a bad checksum or length: it lists them in {@link #problems()};
 * {@link #verify()} fails on any. The recorders' awaits return frames already verified.
 */
public final class Frame {

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** IEEE 802 local experimental EtherType 1: test data that no stack interprets. */
    public static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    public static final int IP_PROTOCOL_ICMP = 1;
    public static final int IP_PROTOCOL_UDP = 17;

    public static final int ARP_REQUEST = 1;
    public static final int ARP_REPLY = 2;
    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;

    /** Destination, source, EtherType. */
    public static final int ETHERNET_HEADER_LENGTH = 14;

    /** An 802.1Q tag: priority code point, drop eligible indicator, VLAN id. */
    public record Vlan(int priority, boolean dropEligible, int id) {}

    /** An ARP packet for IPv4 over Ethernet (RFC 826). */
    public record Arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        public boolean isRequest() {
            return operation == ARP_REQUEST;
        }

        public boolean isReply() {
            return operation == ARP_REPLY;
        }
    }

    /** An IPv4 header (RFC 791); {@code flags} are the three flag bits, {@code fragmentOffset} in 8-byte units. */
    public record Ipv4(
            int headerLength,
            int typeOfService,
            int totalLength,
            int identification,
            int flags,
            int fragmentOffset,
            int ttl,
            int protocol,
            int headerChecksum,
            int source,
            int destination) {

        /** The Don't Fragment flag. */
        public boolean dontFragment() {
            return (flags & 0b010) != 0;
        }
    }

    /** An ICMP echo request or reply (RFC 792); other ICMP types keep identifier and sequence at 0. */
    public record Icmp(int type, int code, int checksum, int identifier, int sequence, byte[] data) {
        public boolean isEchoRequest() {
            return type == ICMP_ECHO_REQUEST && code == 0;
        }

        public boolean isEchoReply() {
            return type == ICMP_ECHO_REPLY && code == 0;
        }
    }

    /** A UDP datagram (RFC 768); {@code checksum} 0 means the sender computed none. */
    public record Udp(int sourcePort, int destinationPort, int length, int checksum, byte[] payload) {}

    private final byte[] bytes;
    private final long destination;
    private final long source;
    private final Vlan vlan;
    private final int etherType;
    private final int payloadOffset;
    private final List<String> problems = new ArrayList<>();
    private Arp arp;
    private Ipv4 ipv4;
    private Icmp icmp;
    private Udp udp;

    private Frame(byte[] bytes) {
        this.bytes = bytes;
        destination = mac(0);
        source = mac(6);
        int type = u16(12);
        if (type == ETHERTYPE_VLAN && bytes.length >= 18) {
            int tci = u16(14);
            vlan = new Vlan(tci >>> 13, (tci & 0x1000) != 0, tci & 0x0fff);
            etherType = u16(16);
            payloadOffset = 18;
        } else {
            vlan = null;
            etherType = type;
            payloadOffset = ETHERNET_HEADER_LENGTH;
        }
        if (etherType == ETHERTYPE_ARP) {
            parseArp();
        } else if (etherType == ETHERTYPE_IPV4) {
            parseIpv4();
        }
    }

    /**
     * Takes a frame apart (the bytes are copied). Throws {@link IllegalArgumentException} only when it
     * is shorter than an Ethernet header; everything else wrong is in {@link #problems()}.
     */
    public static Frame parse(byte[] frame) {
        if (frame.length < ETHERNET_HEADER_LENGTH) {
            throw new IllegalArgumentException(
                    "not an Ethernet frame: " + frame.length + " bytes, shorter than its 14-byte header");
        }
        return new Frame(frame.clone());
    }

    private void parseArp() {
        int o = payloadOffset;
        if (bytes.length - o < 28) {
            problems.add("ARP packet of " + (bytes.length - o) + " bytes, shorter than 28");
            return;
        }
        if (u16(o) != 1 || u16(o + 2) != ETHERTYPE_IPV4 || u8(o + 4) != 6 || u8(o + 5) != 4) {
            problems.add(String.format(
                    Locale.ROOT,
                    "ARP for hardware type %d, protocol 0x%04x, lengths %d/%d: not IPv4 over Ethernet",
                    u16(o),
                    u16(o + 2),
                    u8(o + 4),
                    u8(o + 5)));
            return;
        }
        arp = new Arp(u16(o + 6), mac(o + 8), s32(o + 14), mac(o + 18), s32(o + 24));
    }

    private void parseIpv4() {
        int o = payloadOffset;
        int available = bytes.length - o;
        if (available < 20) {
            problems.add("IPv4 header truncated: " + available + " bytes");
            return;
        }
        int version = u8(o) >>> 4;
        int headerLength = (u8(o) & 0x0f) * 4;
        if (version != 4 || headerLength < 20 || headerLength > available) {
            problems.add("IPv4 version " + version + ", header length " + headerLength + " in " + available + " bytes");
            return;
        }
        int totalLength = u16(o + 2);
        int flagsFragment = u16(o + 6);
        ipv4 = new Ipv4(
                headerLength,
                u8(o + 1),
                totalLength,
                u16(o + 4),
                flagsFragment >>> 13,
                flagsFragment & 0x1fff,
                u8(o + 8),
                u8(o + 9),
                u16(o + 10),
                s32(o + 12),
                s32(o + 16));
        if (Checksums.of(bytes, o, headerLength) != 0) {
            problems.add(String.format(
                    Locale.ROOT,
                    "IPv4 header checksum is 0x%04x, should be 0x%04x",
                    ipv4.headerChecksum(),
                    expected(o + 10, Checksums.add(0, bytes, o, headerLength))));
        }
        if (totalLength < headerLength || totalLength > available) {
            problems.add("IPv4 total length " + totalLength + " does not fit the " + available
                    + " bytes after the Ethernet header");
            return;
        }
        if (ipv4.fragmentOffset() != 0 || (ipv4.flags() & 0b001) != 0) {
            return; // a fragment: its transport header is not checked here
        }
        int l4 = o + headerLength;
        int l4Length = totalLength - headerLength;
        if (ipv4.protocol() == IP_PROTOCOL_ICMP) {
            parseIcmp(l4, l4Length);
        } else if (ipv4.protocol() == IP_PROTOCOL_UDP) {
            parseUdp(l4, l4Length);
        }
    }

    private void parseIcmp(int o, int length) {
        if (length < 8) {
            problems.add("ICMP message of " + length + " bytes, shorter than 8");
            return;
        }
        int type = u8(o);
        boolean echo = type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY;
        icmp = new Icmp(
                type,
                u8(o + 1),
                u16(o + 2),
                echo ? u16(o + 4) : 0,
                echo ? u16(o + 6) : 0,
                Arrays.copyOfRange(bytes, o + 8, o + length));
        if (Checksums.of(bytes, o, length) != 0) {
            problems.add(String.format(
                    Locale.ROOT,
                    "ICMP checksum is 0x%04x, should be 0x%04x",
                    icmp.checksum(),
                    expected(o + 2, Checksums.add(0, bytes, o, length))));
        }
    }

    private void parseUdp(int o, int available) {
        if (available < 8) {
            problems.add("UDP datagram of " + available + " bytes, shorter than its header");
            return;
        }
        int length = u16(o + 4);
        if (length < 8 || length > available) {
            problems.add("UDP length " + length + " does not fit the " + available + " bytes the IPv4 header gives it");
            return;
        }
        udp = new Udp(u16(o), u16(o + 2), length, u16(o + 6), Arrays.copyOfRange(bytes, o + 8, o + length));
        if (udp.checksum() != 0) {
            long sum = Checksums.add(
                    Checksums.pseudoHeader(ipv4.source(), ipv4.destination(), IP_PROTOCOL_UDP, length),
                    bytes,
                    o,
                    length);
            if (Checksums.finish(sum) != 0) {
                int correct = expected(o + 6, sum);
                problems.add(String.format(
                        Locale.ROOT,
                        "UDP checksum is 0x%04x, should be 0x%04x",
                        udp.checksum(),
                        correct == 0 ? 0xffff : correct)); // RFC 768: a computed 0 is sent as all ones
            }
        }
    }

    /** The checksum the 16-bit field at {@code field} should hold, given the sum over its span with it in. */
    private int expected(int field, long sumWithField) {
        return Checksums.finish(sumWithField - u16(field));
    }

    /** The frame's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public long destination() {
        return destination;
    }

    public long source() {
        return source;
    }

    /** The 802.1Q tag, or null when the frame is untagged. */
    public Vlan vlan() {
        return vlan;
    }

    /** The EtherType after the tag, if any. */
    public int etherType() {
        return etherType;
    }

    /** What follows the Ethernet header (and tag), to the end of the frame. */
    public byte[] payload() {
        return Arrays.copyOfRange(bytes, payloadOffset, bytes.length);
    }

    public boolean isBroadcast() {
        return destination == Addresses.BROADCAST_MAC;
    }

    public boolean isArp() {
        return arp != null;
    }

    public boolean isIpv4() {
        return ipv4 != null;
    }

    public boolean isIcmp() {
        return icmp != null;
    }

    public boolean isUdp() {
        return udp != null;
    }

    /** The ARP packet, or null. */
    public Arp arp() {
        return arp;
    }

    /** The IPv4 header, or null. */
    public Ipv4 ipv4() {
        return ipv4;
    }

    /** The ICMP message, or null. */
    public Icmp icmp() {
        return icmp;
    }

    /** The UDP datagram, or null. */
    public Udp udp() {
        return udp;
    }

    /** Every bad checksum and length found, one sentence each; empty for a good frame. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** This frame, after checking that every checksum and length it carries is right. */
    public Frame verify() {
        if (!problems.isEmpty()) {
            throw new AssertionError("bad frame " + this + ": " + String.join("; ", problems));
        }
        return this;
    }

    /** One line, tcpdump-like: "02:..:01 &gt; ff:..:ff, ARP request who-has 10.0.0.2 tell 10.0.0.1". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder()
                .append(Addresses.formatMac(source))
                .append(" > ")
                .append(Addresses.formatMac(destination));
        if (vlan != null) {
            b.append(", vlan ").append(vlan.id()).append(" p ").append(vlan.priority());
        }
        b.append(", ").append(bytes.length).append(" bytes, ");
        if (arp != null) {
            b.append(arp.isRequest() ? "ARP request who-has " : "ARP reply ")
                    .append(Addresses.formatIpv4(arp.isRequest() ? arp.targetIp() : arp.senderIp()));
            b.append(
                    arp.isRequest()
                            ? " tell " + Addresses.formatIpv4(arp.senderIp())
                            : " is-at " + Addresses.formatMac(arp.senderMac()));
        } else if (ipv4 != null) {
            b.append("IPv4 ")
                    .append(Addresses.formatIpv4(ipv4.source()))
                    .append(" > ")
                    .append(Addresses.formatIpv4(ipv4.destination()));
            if (icmp != null) {
                b.append(", ICMP type ").append(icmp.type());
                if (icmp.isEchoRequest() || icmp.isEchoReply()) {
                    b.append(icmp.isEchoRequest() ? " echo request" : " echo reply")
                            .append(" id ")
                            .append(icmp.identifier())
                            .append(" seq ")
                            .append(icmp.sequence());
                }
            } else if (udp != null) {
                b.append(", UDP ").append(udp.sourcePort()).append(" > ").append(udp.destinationPort());
            } else {
                b.append(", protocol ").append(ipv4.protocol());
            }
        } else {
            b.append(String.format(Locale.ROOT, "EtherType 0x%04x", etherType));
        }
        return b.toString();
    }

    private int u8(int i) {
        return bytes[i] & 0xff;
    }

    private int u16(int i) {
        return (u8(i) << 8) | u8(i + 1);
    }

    private int s32(int i) {
        return (u16(i) << 16) | u16(i + 2);
    }

    private long mac(int i) {
        return ((long) u16(i) << 32) | (s32(i + 2) & 0xffff_ffffL);
    }
}
