package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * ICMP (RFC 792) echo for one binding: answers echo requests sent to the binding's address, and
 * sends echo requests of its own, matching each reply to its request by identifier and sequence
 * number and timing it on the kernel's clock.
 *
 * <pre>
 *   0        8        16                31
 *   ┌────────┬────────┬─────────────────┐
 *   │ Type   │ Code 0 │    Checksum     │   type 8 request, 0 reply
 *   ├────────┴────────┼─────────────────┤
 *   │   Identifier    │ Sequence Number │
 *   ├─────────────────┴─────────────────┤
 *   │ Data (byte i = i mod 256)  …      │
 *   └───────────────────────────────────┘
 * </pre>
 * Requests in flight are bounded ({@link #MAX_OUTSTANDING}); the binding's timer times them out.
 */
final class Icmp {

    static final int HEADER_LENGTH = 8;
    static final int TYPE_ECHO_REPLY = 0;
    static final int TYPE_ECHO_REQUEST = 8;
    static final int MAX_OUTSTANDING = 1024;

    /** A request waiting for its reply. */
    private record Outstanding(
            int target,
            int identifier,
            int sequence,
            int dataLength,
            long sentAt,
            long deadline,
            EchoListener listener) {}

    private final IpBinding binding;
    private final IpCounters counters;
    private final InterfaceConfig config;
    /** Guards {@link #outstanding}. */
    private final NdisSpinLock lock;

    private final Map<Integer, Outstanding> outstanding = new HashMap<>();

    Icmp(IpBinding binding, IpCounters counters, InterfaceConfig config) {
        this.binding = binding;
        this.counters = counters;
        this.config = config;
        this.lock = Ndis.allocateSpinLock();
    }

    private static int key(int identifier, int sequence) {
        return (identifier & 0xffff) << 16 | (sequence & 0xffff);
    }

    /**
     * Sends an echo request with {@code dataLength} bytes of data; {@code listener} hears the reply or
     * the timeout. Runs at IRQL &lt;= DISPATCH_LEVEL. False when it could not be sent (too many in
     * flight, the same identifier and sequence in flight, off-link, no NBL).
     */
    boolean echoRequest(
            int target, int identifier, int sequence, int dataLength, long timeoutNanos, EchoListener listener) {
        int key = key(identifier, sequence);
        long now = binding.now();
        Ndis.acquireSpinLock(lock);
        boolean accepted = outstanding.size() < MAX_OUTSTANDING && !outstanding.containsKey(key);
        if (accepted) {
            outstanding.put(
                    key, new Outstanding(target, identifier, sequence, dataLength, now, now + timeoutNanos, listener));
        }
        Ndis.releaseSpinLock(lock);
        if (!accepted) {
            return false;
        }
        boolean sent = binding.ip()
                .send(
                        target,
                        Ipv4.PROTOCOL_ICMP,
                        HEADER_LENGTH + dataLength,
                        (b, o) -> {
                            b.setByte(o, TYPE_ECHO_REQUEST);
                            b.setByte(o + 1, 0);
                            b.setShort(o + 2, 0);
                            b.setShort(o + 4, identifier);
                            b.setShort(o + 6, sequence);
                            for (int i = 0; i < dataLength; i++) {
                                b.setByte(o + HEADER_LENGTH + i, i);
                            }
                            b.setShort(o + 2, Checksum.of(b, o, HEADER_LENGTH + dataLength));
                        },
                        IpCounter.ICMP_ECHO_REQUESTS_SENT);
        if (!sent) {
            Ndis.acquireSpinLock(lock);
            outstanding.remove(key);
            Ndis.releaseSpinLock(lock);
            return false;
        }
        return true;
    }

    /** An ICMP message of {@code length} bytes at {@code offset}. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void receive(ByteBuf frame, int offset, int length, int source, int destination, int ttl) {
        if (length < HEADER_LENGTH || Checksum.of(frame, offset, length) != 0) {
            counters.increment(IpCounter.ICMP_BAD);
            return;
        }
        int type = frame.getUnsignedByte(offset);
        if (type == TYPE_ECHO_REQUEST) {
            counters.increment(IpCounter.ICMP_ECHO_REQUESTS_RECEIVED);
            if (destination == config.address()) { // broadcast pings are ignored, as Linux does by default
                reply(frame, offset, length, source);
            }
        } else if (type == TYPE_ECHO_REPLY) {
            replyReceived(frame, offset, length, source, ttl);
        } else {
            counters.increment(IpCounter.ICMP_OTHER);
        }
    }

    /** The echo reply: the request's message with type 0, back to its sender. */
    private void reply(ByteBuf request, int offset, int length, int requester) {
        binding.ip()
                .send(
                        requester,
                        Ipv4.PROTOCOL_ICMP,
                        length,
                        (b, o) -> {
                            b.setBytes(o, request, offset, length);
                            b.setByte(o, TYPE_ECHO_REPLY);
                            b.setShort(o + 2, 0);
                            b.setShort(o + 2, Checksum.of(b, o, length));
                        },
                        IpCounter.ICMP_ECHO_REPLIES_SENT);
    }

    private void replyReceived(ByteBuf frame, int offset, int length, int source, int ttl) {
        int identifier = frame.getUnsignedShort(offset + 4);
        int sequence = frame.getUnsignedShort(offset + 6);
        long now = binding.now();
        Ndis.acquireSpinLock(lock);
        Outstanding request = outstanding.get(key(identifier, sequence));
        if (request != null && request.target() == source) {
            outstanding.remove(key(identifier, sequence));
        } else {
            request = null;
        }
        Ndis.releaseSpinLock(lock);
        if (request == null) {
            counters.increment(IpCounter.ICMP_ECHO_UNMATCHED);
            return;
        }
        counters.increment(IpCounter.ICMP_ECHO_REPLIES_RECEIVED);
        boolean intact = length == HEADER_LENGTH + request.dataLength();
        for (int i = 0; intact && i < request.dataLength(); i++) {
            intact = frame.getByte(offset + HEADER_LENGTH + i) == (byte) i;
        }
        request.listener()
                .replied(new EchoReply(source, identifier, sequence, ttl, length, now - request.sentAt(), intact));
    }

    /** The timer tick: requests past their deadline time out. Runs at DISPATCH_LEVEL. */
    void tick(long now) {
        List<Outstanding> expired = new ArrayList<>();
        Ndis.acquireSpinLock(lock);
        for (Iterator<Outstanding> it = outstanding.values().iterator(); it.hasNext(); ) {
            Outstanding request = it.next();
            if (now >= request.deadline()) {
                expired.add(request);
                it.remove();
            }
        }
        Ndis.releaseSpinLock(lock);
        for (Outstanding request : expired) {
            counters.increment(IpCounter.ICMP_ECHO_TIMEOUTS);
            request.listener().timedOut(request.identifier(), request.sequence());
        }
    }

    /** At unbind: every request in flight times out. Runs at PASSIVE_LEVEL. */
    void close() {
        tick(Long.MAX_VALUE);
    }

    /** After NdisCloseAdapterEx: nothing can reach the table any more. */
    void free() {
        Ndis.freeSpinLock(lock);
    }
}
