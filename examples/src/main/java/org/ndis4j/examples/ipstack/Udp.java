package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;

/**
 * UDP (RFC 768) for one binding: datagrams to the ports hosts listen on, the echo service of RFC 862
 * on port 7, and datagrams sent by hosts (the soak and benchmarks). The checksum over the
 * pseudo-header is always sent and, when a datagram carries one, always checked.
 *
 * <pre>
 *   0               16              31
 *   ┌───────────────┬───────────────┐
 *   │  Source Port  │  Dest. Port   │
 *   ├───────────────┼───────────────┤
 *   │    Length     │   Checksum    │   Length = 8 + data; checksum 0 = none (sent as 0xFFFF if computed 0)
 *   ├───────────────┴───────────────┤
 *   │ data …                        │
 *   └───────────────────────────────┘
 * </pre>
 */
final class Udp {

    static final int HEADER_LENGTH = 8;
    static final int ECHO_PORT = 7;
    static final int MAX_PAYLOAD = Ipv4.MAX_PAYLOAD - HEADER_LENGTH;

    private final IpBinding binding;
    private final IpCounters counters;
    private final InterfaceConfig config;
    /** Listeners by port: set by hosts at PASSIVE_LEVEL, read by the receive DPC without a lock. */
    private final Map<Integer, UdpListener> listeners = new ConcurrentHashMap<>();

    Udp(IpBinding binding, IpCounters counters, InterfaceConfig config) {
        this.binding = binding;
        this.counters = counters;
        this.config = config;
    }

    void listen(int port, UdpListener listener) {
        checkPort(port);
        if (listeners.putIfAbsent(port, listener) != null) {
            throw new IllegalStateException("UDP port " + port + " has a listener already");
        }
    }

    void stopListening(int port) {
        listeners.remove(port);
    }

    /**
     * Sends {@code length} bytes of {@code data} from absolute index {@code offset}. Runs at IRQL &lt;=
     * DISPATCH_LEVEL. False when dropped at once (counted).
     */
    boolean send(int destination, int sourcePort, int destinationPort, ByteBuf data, int offset, int length) {
        checkPort(sourcePort);
        checkPort(destinationPort);
        checkLength(length);
        return binding.ip()
                .send(
                        destination,
                        Ipv4.PROTOCOL_UDP,
                        HEADER_LENGTH + length,
                        datagram(destination, sourcePort, destinationPort, data, offset, length),
                        IpCounter.UDP_SENT);
    }

    /**
     * Sends one datagram per payload (each wholly readable), in order, as one NBL chain. Runs at IRQL
     * &lt;= DISPATCH_LEVEL. Returns how many were built and handed on; the rest were dropped at once
     * (counted), as {@link #send} would drop each.
     */
    int sendAll(int destination, int sourcePort, int destinationPort, List<ByteBuf> payloads) {
        checkPort(sourcePort);
        checkPort(destinationPort);
        for (ByteBuf p : payloads) {
            checkLength(p.readableBytes());
        }
        NblQueue burst = new NblQueue();
        for (ByteBuf p : payloads) {
            int length = p.readableBytes();
            NetBufferList nbl = binding.ip()
                    .build(
                            destination,
                            Ipv4.PROTOCOL_UDP,
                            HEADER_LENGTH + length,
                            datagram(destination, sourcePort, destinationPort, p, p.readerIndex(), length),
                            IpCounter.UDP_SENT);
            if (nbl != null) {
                burst.append(nbl);
            }
        }
        int built = burst.count();
        binding.ip().sendAll(destination, burst);
        return built;
    }

    /** Writes the header, the data and the checksum of one datagram. */
    private Ipv4.Payload datagram(
            int destination, int sourcePort, int destinationPort, ByteBuf data, int offset, int length) {
        int udpLength = HEADER_LENGTH + length;
        return (b, o) -> {
            // The checksum first, over the header's values and the data where it lies, so that the
            // header is one write and the frame is never read back.
            long sum = Checksum.pseudoHeader(config.address(), destination, Ipv4.PROTOCOL_UDP, udpLength)
                    + sourcePort
                    + destinationPort
                    + udpLength;
            int checksum = Checksum.finish(Checksum.add(sum, data, offset, length));
            b.setLong(
                    o,
                    (long) sourcePort << 48
                            | (long) destinationPort << 32
                            | (long) udpLength << 16
                            | (checksum == 0 ? 0xffff : checksum));
            b.setBytes(o + HEADER_LENGTH, data, offset, length);
        };
    }

    private static void checkLength(int length) {
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a UDP payload is 0.." + MAX_PAYLOAD + " bytes here, not " + length);
        }
    }

    /** A UDP datagram at {@code offset}, {@code length} bytes of IPv4 payload. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void receive(ByteBuf frame, int offset, int length, int source, int destination) {
        long header = length >= HEADER_LENGTH ? frame.getLong(offset) : 0; // the whole header in one read
        int udpLength = (int) (header >>> 16) & 0xffff;
        if (udpLength < HEADER_LENGTH || udpLength > length) {
            counters.increment(IpCounter.UDP_BAD);
            return;
        }
        if ((header & 0xffff) != 0) {
            long sum = Checksum.add(
                    Checksum.pseudoHeader(source, destination, Ipv4.PROTOCOL_UDP, udpLength), frame, offset, udpLength);
            if (Checksum.finish(sum) != 0) {
                counters.increment(IpCounter.UDP_BAD);
                return;
            }
        }
        counters.increment(IpCounter.UDP_RECEIVED);
        int sourcePort = (int) (header >>> 48);
        int destinationPort = (int) (header >>> 32) & 0xffff;
        int dataOffset = offset + HEADER_LENGTH;
        int dataLength = udpLength - HEADER_LENGTH;
        UdpListener listener = listeners.get(destinationPort);
        if (listener != null) {
            counters.increment(IpCounter.UDP_DELIVERED);
            listener.datagramReceived(source, sourcePort, destinationPort, frame, dataOffset, dataLength);
        } else if (destinationPort == ECHO_PORT && sourcePort != ECHO_PORT && destination == config.address()) {
            // Never echo to port 7 (two echo services would play ping-pong) nor a broadcast.
            counters.increment(IpCounter.UDP_ECHOED);
            send(source, ECHO_PORT, sourcePort, frame, dataOffset, dataLength);
        } else {
            counters.increment(IpCounter.UDP_NO_LISTENER);
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " is outside 1..65535");
        }
    }
}
