package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;

/**
 * IPv4 (RFC 791) for one binding: checks every received header and hands the payload to ICMP or
 * UDP, and writes the header of every packet ipstack sends. No options, no fragmentation: packets
 * are sent with DF set and identification 0 (RFC 6864 lets an atomic datagram carry any), and
 * received fragments are dropped and counted.
 *
 * <pre>
 *   0       4       8               16      19              31
 *   ┌───────┬───────┬───────────────┬───────────────────────┐
 *   │Version│  IHL  │      TOS      │     Total Length      │
 *   ├───────┴───────┴───────────────┼──────┬────────────────┤
 *   │        Identification         │Flags │ Fragment Offset│
 *   ├───────────────┬───────────────┼──────┴────────────────┤
 *   │      TTL      │   Protocol    │    Header Checksum    │
 *   ├───────────────┴───────────────┴───────────────────────┤
 *   │                    Source Address                     │
 *   │                  Destination Address                  │
 *   └───────────────────────────────────────────────────────┘
 * </pre>
 */
final class Ipv4 {

    static final int HEADER_LENGTH = 20;
    static final int PROTOCOL_ICMP = 1;
    static final int PROTOCOL_UDP = 17;
    static final int TTL = 64;
    /** The largest payload one unfragmented packet carries on a 1500-byte MTU. */
    static final int MAX_PAYLOAD = 1500 - HEADER_LENGTH;
    /** The largest payload on this binding's adapter: its MTU less the header. */
    private final int maxPayload;

    /** Version 4, a header of five 32-bit words, TOS 0: the first two bytes of every header sent. */
    private static final int VERSION_IHL_TOS = 0x4500;

    private static final long FLAG_DONT_FRAGMENT = 0x4000;
    private static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET = 0x1fff;

    /** Writes a packet's payload ({@code length} bytes, checksums included) at {@code offset}. */
    interface Payload {
        void write(ByteBuf frame, int offset);
    }

    /** The largest payload one unfragmented packet carries on this adapter. */
    int maxPayload() {
        return maxPayload;
    }

    private final IpBinding binding;
    private final IpCounters counters;
    private final InterfaceConfig config;

    Ipv4(IpBinding binding, IpCounters counters, InterfaceConfig config, int mtu) {
        this.maxPayload = mtu - HEADER_LENGTH;
        this.binding = binding;
        this.counters = counters;
        this.config = config;
    }

    /**
     * Sends a packet of {@code payloadLength} bytes to {@code destination}, counted under {@code sent}
     * once built. Runs at IRQL &lt;=
     * DISPATCH_LEVEL. False when it was dropped at once (counted: off-link, or no NBL); a packet
     * that waits for ARP, or meets a link that is down, is counted where that happens.
     */
    boolean send(int destination, int protocol, int payloadLength, Payload payload, IpCounter sent) {
        NetBufferList nbl = build(destination, protocol, payloadLength, payload, sent);
        if (nbl == null) {
            return false;
        }
        binding.arp().sendTo(destination, nbl);
        return true;
    }

    /**
     * Sends the packets {@link #build} made for {@code destination}, in order, as one NBL chain: one
     * NdisSendNetBufferLists for the burst, as a protocol hands NDIS what it has. Runs at IRQL &lt;=
     * DISPATCH_LEVEL.
     */
    void sendAll(int destination, NblQueue packets) {
        binding.arp().sendAllTo(destination, packets);
    }

    /**
     * Writes a packet of {@code payloadLength} bytes to {@code destination} into an NBL of the pool,
     * counted under {@code sent}, for {@link #send} or {@link #sendAll}. Runs at IRQL &lt;=
     * DISPATCH_LEVEL. Null when it was dropped at once (counted: off-link, or no NBL).
     */
    NetBufferList build(int destination, int protocol, int payloadLength, Payload payload, IpCounter sent) {
        if (payloadLength > maxPayload) {
            throw new IllegalArgumentException("a payload of " + payloadLength
                    + " bytes needs fragmentation, which ipstack does not do (max " + maxPayload + ")");
        }
        boolean broadcast = destination == Ipv4Address.LIMITED_BROADCAST || destination == config.directedBroadcast();
        if (!broadcast && !config.isOnLink(destination)) {
            counters.increment(IpCounter.IP_NO_ROUTE);
            return null;
        }
        NetBufferList nbl = binding.data().allocate();
        if (nbl == null) {
            return null;
        }
        ByteBuf b = IpDataPath.buffer(nbl);
        int frame = IpDataPath.offset(nbl);
        int total = HEADER_LENGTH + payloadLength;
        writeHeaders(b, frame, binding.macAddress(), total, protocol, config.address(), destination);
        payload.write(b, frame + Ethernet.HEADER_LENGTH + HEADER_LENGTH);
        IpDataPath.finish(nbl, Ethernet.HEADER_LENGTH + total);
        counters.increment(sent); // before it goes: the frame may be on the wire before sendTo returns
        return nbl;
    }

    /**
     * Writes the Ethernet header (destination 0: ARP fills it in) and the IPv4 header, with its
     * checksum, of a packet at {@code frame}: 34 bytes in five writes, the checksum summed from the
     * values, not read back. Each buffer access pays Netty's reference-count and bounds checks: with a
     * write per field this method was 31 % of a 64-byte sender's CPU.
     *
     * <pre>
     *  frame+0   destination MAC (0) ········ source MAC ·· │ +8 ··· source MAC │ EtherType │ 0x45 │ TOS
     *  frame+16  total length │ identification (0) │ flags+fragment (DF) │ TTL │ protocol
     *  frame+24  header checksum │ source address │ destination address (first half)
     *  frame+32  destination address (second half)
     * </pre>
     */
    private static void writeHeaders(
            ByteBuf b, int frame, long sourceMac, int total, int protocol, int source, int destination) {
        long sum = VERSION_IHL_TOS
                + total
                + FLAG_DONT_FRAGMENT
                + (TTL << 8 | protocol)
                + Checksum.words(source)
                + Checksum.words(destination);
        long checksum = Checksum.finish(sum);
        b.setLong(frame, sourceMac >>> 32);
        b.setLong(frame + 8, (sourceMac & 0xFFFF_FFFFL) << 32 | (long) Ethernet.ETHERTYPE_IPV4 << 16 | VERSION_IHL_TOS);
        b.setLong(frame + 16, (long) total << 48 | FLAG_DONT_FRAGMENT << 16 | TTL << 8 | protocol);
        b.setLong(frame + 24, checksum << 48 | (source & 0xFFFF_FFFFL) << 16 | destination >>> 16);
        b.setShort(frame + 32, destination);
    }

    /**
     * An IPv4 packet at {@code offset}, {@code length} bytes to the end of the frame (Ethernet padding
     * included). Runs at IRQL &lt;= DISPATCH_LEVEL.
     */
    void receive(ByteBuf frame, int offset, int length) {
        if (length < HEADER_LENGTH) {
            counters.increment(IpCounter.IP_BAD_HEADER);
            return;
        }
        // The fixed header in three reads: bytes 0-7, 8-15 and 16-19.
        long first = frame.getLong(offset); // version+IHL, TOS, total length, identification, flags+fragment
        long second = frame.getLong(offset + 8); // TTL, protocol, checksum, source address
        int destination = frame.getInt(offset + 16);
        int versionIhl = (int) (first >>> 56);
        int headerLength = (versionIhl & 0x0f) * 4;
        int total = (int) (first >>> 32) & 0xffff;
        if (versionIhl >>> 4 != 4 || headerLength < HEADER_LENGTH || total < headerLength || total > length) {
            counters.increment(IpCounter.IP_BAD_HEADER);
            return;
        }
        int checksum = headerLength == HEADER_LENGTH
                ? Checksum.finish(Checksum.words(first) + Checksum.words(second) + Checksum.words(destination))
                : Checksum.of(frame, offset, headerLength);
        if (checksum != 0) {
            counters.increment(IpCounter.IP_BAD_CHECKSUM);
            return;
        }
        counters.increment(IpCounter.IP_RECEIVED);
        int source = (int) second;
        if (destination != config.address()
                && destination != Ipv4Address.LIMITED_BROADCAST
                && destination != config.directedBroadcast()) {
            counters.increment(IpCounter.IP_NOT_FOR_US);
            return;
        }
        int fragment = (int) first & 0xffff;
        if ((fragment & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET)) != 0) {
            counters.increment(IpCounter.IP_FRAGMENTS);
            return;
        }
        int ttl = (int) (second >>> 56);
        int payloadOffset = offset + headerLength;
        int payloadLength = total - headerLength;
        switch ((int) (second >>> 48) & 0xff) {
            case PROTOCOL_ICMP -> binding.icmp().receive(frame, payloadOffset, payloadLength, source, destination, ttl);
            case PROTOCOL_UDP -> binding.udp().receive(frame, payloadOffset, payloadLength, source, destination);
            default -> counters.increment(IpCounter.IP_UNKNOWN_PROTOCOL);
        }
    }
}
