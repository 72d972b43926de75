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

    private static final int FLAG_DONT_FRAGMENT = 0x4000;
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
        int o = Ethernet.writeHeader(b, IpDataPath.offset(nbl), 0, binding.macAddress(), Ethernet.ETHERTYPE_IPV4);
        int total = HEADER_LENGTH + payloadLength;
        b.setByte(o, 0x45);
        b.setByte(o + 1, 0);
        b.setShort(o + 2, total);
        b.setShort(o + 4, 0);
        b.setShort(o + 6, FLAG_DONT_FRAGMENT);
        b.setByte(o + 8, TTL);
        b.setByte(o + 9, protocol);
        b.setShort(o + 10, 0);
        b.setInt(o + 12, config.address());
        b.setInt(o + 16, destination);
        b.setShort(o + 10, Checksum.of(b, o, HEADER_LENGTH));
        payload.write(b, o + HEADER_LENGTH);
        IpDataPath.finish(nbl, Ethernet.HEADER_LENGTH + total);
        counters.increment(sent); // before it goes: the frame may be on the wire before sendTo returns
        return nbl;
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
        int versionIhl = frame.getUnsignedByte(offset);
        int headerLength = (versionIhl & 0x0f) * 4;
        int total = frame.getUnsignedShort(offset + 2);
        if (versionIhl >>> 4 != 4 || headerLength < HEADER_LENGTH || total < headerLength || total > length) {
            counters.increment(IpCounter.IP_BAD_HEADER);
            return;
        }
        if (Checksum.of(frame, offset, headerLength) != 0) {
            counters.increment(IpCounter.IP_BAD_CHECKSUM);
            return;
        }
        counters.increment(IpCounter.IP_RECEIVED);
        int source = frame.getInt(offset + 12);
        int destination = frame.getInt(offset + 16);
        if (destination != config.address()
                && destination != Ipv4Address.LIMITED_BROADCAST
                && destination != config.directedBroadcast()) {
            counters.increment(IpCounter.IP_NOT_FOR_US);
            return;
        }
        int fragment = frame.getUnsignedShort(offset + 6);
        if ((fragment & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET)) != 0) {
            counters.increment(IpCounter.IP_FRAGMENTS);
            return;
        }
        int ttl = frame.getUnsignedByte(offset + 8);
        int payloadOffset = offset + headerLength;
        int payloadLength = total - headerLength;
        switch (frame.getUnsignedByte(offset + 9)) {
            case PROTOCOL_ICMP -> binding.icmp().receive(frame, payloadOffset, payloadLength, source, destination, ttl);
            case PROTOCOL_UDP -> binding.udp().receive(frame, payloadOffset, payloadLength, source, destination);
            default -> counters.increment(IpCounter.IP_UNKNOWN_PROTOCOL);
        }
    }
}
