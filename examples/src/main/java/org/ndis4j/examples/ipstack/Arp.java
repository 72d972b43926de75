package org.ndis4j.examples.ipstack;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * ARP (RFC 826) for one binding: resolves next hops for outgoing packets (requests, retried),
 * answers requests for the binding's own address only, learns from replies and from requests aimed
 * at it, and announces the address with a gratuitous ARP when the link comes up.
 *
 * <pre>
 *   0        2        4    5    6        8            14       18           24       28
 *   ┌────────┬────────┬────┬────┬────────┬────────────┬────────┬────────────┬────────┐
 *   │ HTYPE 1│PTYPE   │HLEN│PLEN│ OPER   │ sender MAC │sender IP│ target MAC │target IP│
 *   │        │0x0800  │ 6  │ 4  │ 1 / 2  │            │         │            │         │
 *   └────────┴────────┴────┴────┴────────┴────────────┴────────┴────────────┴────────┘
 * </pre>
 * The cache and its queues are guarded by one spin lock; frames are sent after it is released,
 * since a send can complete (and come back into ipstack) before NdisSendNetBufferLists returns.
 *
 * <p>A send to the neighbour last found resolved and within its lifetime takes no lock: it reads
 * {@link #lastUsed}, a snapshot the locked path publishes and every change to the cache withdraws
 * (as a stack reads its neighbour table without a lock on the fast path). The lock and the lookup
 * were 14 % of a host's send path at 64 bytes. A sender that read the snapshot just before a change
 * sends as one that took the lock just before it would have.
 */
final class Arp {

    static final int PACKET_LENGTH = 28;
    static final int OPERATION_REQUEST = 1;
    static final int OPERATION_REPLY = 2;

    private final IpBinding binding;
    private final IpCounters counters;
    private final InterfaceConfig config;
    /** Guards {@link #cache} (entries, their state and their queued frames). */
    private final NdisSpinLock lock;

    private final ArpCache cache = new ArpCache();

    /** The neighbour a send last found resolved and fresh, its MAC usable until {@code freshUntil}. */
    private record Neighbour(int address, long mac, long freshUntil) {}

    /** Published and withdrawn under {@link #lock}; read without it by {@link #resolvedMac}. Null: none. */
    private volatile Neighbour lastUsed;
    /** Set at unbind: nothing is queued any more. */
    private boolean closed;

    Arp(IpBinding binding, IpCounters counters, InterfaceConfig config) {
        this.binding = binding;
        this.counters = counters;
        this.config = config;
        this.lock = Ndis.allocateSpinLock();
    }

    // ---- sending IPv4 packets -----------------------------------------------------------------

    /**
     * Sends a finished frame to {@code nextHop}: at once when its address is known (or it is a
     * broadcast), else after resolution. Runs at IRQL &lt;= DISPATCH_LEVEL. The frame's destination MAC
     * is written here.
     */
    void sendTo(int nextHop, NetBufferList frame) {
        if (nextHop == Ipv4Address.LIMITED_BROADCAST || nextHop == config.directedBroadcast()) {
            transmit(frame, Ethernet.BROADCAST);
            return;
        }
        long now = binding.now();
        long fresh = resolvedMac(nextHop, now);
        if (fresh >= 0) {
            transmit(frame, fresh);
            return;
        }
        long mac = 0;
        boolean resolved = false;
        boolean requestNow = false;
        boolean probeNow = false;
        boolean dropped = false;
        Ndis.acquireSpinLock(lock);
        ArpCache.Entry entry = closed ? null : cache.get(nextHop);
        if (entry == null && !closed) {
            lastUsed = null; // making room may evict the neighbour it names
            entry = cache.createIncomplete(nextHop);
        }
        if (closed || entry == null || (!entry.isResolved() && entry.queued.count() >= ArpCache.MAX_QUEUED)) {
            dropped = true;
        } else if (entry.isResolved()) {
            resolved = true;
            mac = entry.mac;
            // Past its lifetime: still used, while a unicast request confirms it (RFC 1122 2.3.2.1).
            if (entry.state == ArpEntry.State.REACHABLE && now >= entry.expiresAt && entry.probeDeadline == 0) {
                entry.probeDeadline =
                        now + config.arpRetries() * config.arpRetryInterval().toNanos();
                probeNow = true;
            } else if (entry.state == ArpEntry.State.STATIC || now < entry.expiresAt) {
                lastUsed = new Neighbour(
                        nextHop, mac, entry.state == ArpEntry.State.STATIC ? Long.MAX_VALUE : entry.expiresAt);
            }
        } else {
            entry.queued.append(frame);
            if (entry.requestsSent == 0) {
                entry.requestsSent = 1;
                entry.nextRequestAt = now + config.arpRetryInterval().toNanos();
                requestNow = true;
            }
        }
        Ndis.releaseSpinLock(lock);
        if (dropped) {
            counters.increment(IpCounter.ARP_QUEUE_FULL);
            binding.data().free(frame);
        } else if (resolved) {
            transmit(frame, mac);
            if (probeNow) {
                sendArp(OPERATION_REQUEST, mac, 0, nextHop);
            }
        } else if (requestNow) {
            sendArp(OPERATION_REQUEST, Ethernet.BROADCAST, 0, nextHop);
        }
    }

    /**
     * Sends {@code frames} (all to {@code nextHop}) as one chain when the neighbour is resolved and
     * fresh; otherwise one by one through {@link #sendTo}, which queues, probes or drops each as it
     * would alone. Runs at IRQL &lt;= DISPATCH_LEVEL. Empties {@code frames}.
     */
    void sendAllTo(int nextHop, NblQueue frames) {
        if (frames.isEmpty()) {
            return;
        }
        boolean unicast = nextHop != Ipv4Address.LIMITED_BROADCAST && nextHop != config.directedBroadcast();
        long now = binding.now();
        long mac = unicast ? resolvedMac(nextHop, now) : -1;
        if (mac < 0 && unicast) {
            Ndis.acquireSpinLock(lock);
            ArpCache.Entry entry = closed ? null : cache.get(nextHop);
            if (entry != null
                    && entry.isResolved()
                    && !(entry.state == ArpEntry.State.REACHABLE && now >= entry.expiresAt)) {
                mac = entry.mac;
            }
            Ndis.releaseSpinLock(lock);
        }
        if (mac < 0) {
            for (NetBufferList frame = frames.pop(); frame != null; frame = frames.pop()) {
                sendTo(nextHop, frame);
            }
            return;
        }
        for (NetBufferList frame = frames.peek(); frame != null; frame = frame.next()) {
            Ethernet.setDestination(IpDataPath.buffer(frame), IpDataPath.offset(frame), mac, binding.macAddress());
        }
        binding.data().send(binding, frames.takeChain());
    }

    /**
     * The MAC of {@code nextHop} when it is the neighbour last found resolved and its lifetime has not
     * run out at {@code now}, read without the lock; else -1 (the locked path decides).
     */
    private long resolvedMac(int nextHop, long now) {
        Neighbour n = lastUsed;
        return n != null && n.address == nextHop && now < n.freshUntil ? n.mac : -1;
    }

    private void transmit(NetBufferList frame, long destination) {
        Ethernet.setDestination(IpDataPath.buffer(frame), IpDataPath.offset(frame), destination, binding.macAddress());
        binding.data().send(binding, frame);
    }

    // ---- receiving ----------------------------------------------------------------------------

    /** An ARP packet at {@code offset} ({@code length} bytes to the end of the frame). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void receive(ByteBuf frame, int offset, int length) {
        if (length < PACKET_LENGTH
                || frame.getUnsignedShort(offset) != 1
                || frame.getUnsignedShort(offset + 2) != Ethernet.ETHERTYPE_IPV4
                || frame.getUnsignedByte(offset + 4) != 6
                || frame.getUnsignedByte(offset + 5) != 4) {
            counters.increment(IpCounter.ARP_MALFORMED);
            return;
        }
        counters.increment(IpCounter.ARP_RECEIVED);
        int operation = frame.getUnsignedShort(offset + 6);
        long senderMac = Ethernet.readMac(frame, offset + 8);
        int senderIp = frame.getInt(offset + 14);
        int targetIp = frame.getInt(offset + 24);
        if (operation != OPERATION_REQUEST && operation != OPERATION_REPLY
                || Ethernet.isGroup(senderMac)
                || senderIp == config.address()) {
            counters.increment(IpCounter.ARP_MALFORMED); // not a request or reply, or someone claims our address
            return;
        }
        boolean forUs = targetIp == config.address();
        NblQueue ready = new NblQueue();
        long now = binding.now();
        Ndis.acquireSpinLock(lock);
        // RFC 826's merge: update an entry we have; add one when the packet is aimed at us.
        ArpCache.Entry entry = cache.get(senderIp);
        if (entry != null || forUs) {
            lastUsed = null; // the MAC may have changed
            entry = cache.learn(senderIp, senderMac, now + config.arpLifetime().toNanos());
            if (entry != null && entry.isResolved()) {
                ready.appendChain(entry.queued.takeChain());
            }
        }
        Ndis.releaseSpinLock(lock);

        if (operation == OPERATION_REPLY) {
            counters.increment(IpCounter.ARP_REPLIES_RECEIVED);
        } else if (forUs) {
            sendArp(OPERATION_REPLY, senderMac, senderMac, senderIp);
        } else {
            counters.increment(IpCounter.ARP_NOT_FOR_US);
        }
        long mac = entry != null ? entry.mac : 0;
        for (NetBufferList frameOut = ready.pop(); frameOut != null; frameOut = ready.pop()) {
            transmit(frameOut, mac);
        }
    }

    // ---- requests, replies, announcements -----------------------------------------------------

    /** A gratuitous ARP (a request for our own address, RFC 5227's announcement). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void announce() {
        sendArp(OPERATION_REQUEST, Ethernet.BROADCAST, 0, config.address());
    }

    private boolean sendArp(int operation, long destination, long targetMac, int targetIp) {
        NetBufferList nbl = binding.data().allocate();
        if (nbl == null) {
            return false;
        }
        ByteBuf b = IpDataPath.buffer(nbl);
        int o = Ethernet.writeHeader(
                b, IpDataPath.offset(nbl), destination, binding.macAddress(), Ethernet.ETHERTYPE_ARP);
        b.setShort(o, 1);
        b.setShort(o + 2, Ethernet.ETHERTYPE_IPV4);
        b.setByte(o + 4, 6);
        b.setByte(o + 5, 4);
        b.setShort(o + 6, operation);
        Ethernet.writeMac(b, o + 8, binding.macAddress());
        b.setInt(o + 14, config.address());
        Ethernet.writeMac(b, o + 18, targetMac);
        b.setInt(o + 24, targetIp);
        IpDataPath.finish(nbl, Ethernet.HEADER_LENGTH + PACKET_LENGTH);
        counters.increment(
                targetIp == config.address()
                        ? IpCounter.ARP_GRATUITOUS_SENT
                        : operation == OPERATION_REQUEST ? IpCounter.ARP_REQUESTS_SENT : IpCounter.ARP_REPLIES_SENT);
        binding.data().send(binding, nbl); // counted first: the frame may be on the wire before send returns
        return true;
    }

    // ---- the timer ----------------------------------------------------------------------------

    /**
     * The binding's timer tick: retries requests that are due, gives up on resolutions that used
     * every retry (their packets are dropped and counted), and forgets expired entries. Runs at
     * DISPATCH_LEVEL.
     */
    void tick(long now) {
        List<Integer> requests = new ArrayList<>();
        NblQueue failed = new NblQueue();
        Ndis.acquireSpinLock(lock);
        for (Iterator<ArpCache.Entry> it = cache.iterator(); it.hasNext(); ) {
            ArpCache.Entry entry = it.next();
            if (entry.state == ArpEntry.State.INCOMPLETE && entry.requestsSent > 0 && now >= entry.nextRequestAt) {
                if (entry.requestsSent < config.arpRetries()) {
                    entry.requestsSent++;
                    entry.nextRequestAt = now + config.arpRetryInterval().toNanos();
                    requests.add(entry.address);
                } else {
                    failed.appendChain(entry.queued.takeChain());
                    it.remove();
                    lastUsed = null;
                }
            } else if (entry.state == ArpEntry.State.REACHABLE
                    && (entry.probeDeadline != 0
                            ? now >= entry.probeDeadline
                            : now >= entry.expiresAt + idleLifetime())) {
                it.remove(); // its confirmation went unanswered, or nobody used it for a lifetime past expiry
                lastUsed = null;
            }
        }
        Ndis.releaseSpinLock(lock);
        for (int address : requests) {
            sendArp(OPERATION_REQUEST, Ethernet.BROADCAST, 0, address);
        }
        dropAll(failed, IpCounter.ARP_UNRESOLVED);
    }

    /** An expired entry nobody sends to is kept this long, then forgotten. */
    private long idleLifetime() {
        return config.arpLifetime().toNanos();
    }

    /** After a link-up: resolutions in progress ask again now rather than at their next retry. */
    void retryNow(long now) {
        Ndis.acquireSpinLock(lock);
        for (Iterator<ArpCache.Entry> it = cache.iterator(); it.hasNext(); ) {
            ArpCache.Entry entry = it.next();
            if (entry.state == ArpEntry.State.INCOMPLETE && entry.requestsSent > 0) {
                entry.nextRequestAt = now;
            }
        }
        Ndis.releaseSpinLock(lock);
    }

    // ---- configuration and teardown -----------------------------------------------------------

    void addStatic(int address, long mac) {
        NblQueue ready = new NblQueue();
        Ndis.acquireSpinLock(lock);
        ArpCache.Entry entry = cache.get(address);
        if (entry != null) {
            ready.appendChain(entry.queued.takeChain());
        }
        cache.putStatic(address, mac);
        lastUsed = null;
        Ndis.releaseSpinLock(lock);
        for (NetBufferList frame = ready.pop(); frame != null; frame = ready.pop()) {
            transmit(frame, mac);
        }
    }

    List<ArpEntry> entries() {
        Ndis.acquireSpinLock(lock);
        List<ArpEntry> view = cache.view();
        Ndis.releaseSpinLock(lock);
        return view;
    }

    /**
     * At unbind: from now on nothing is queued, and every queued frame is dropped (counted). Runs at
     * PASSIVE_LEVEL.
     */
    void close() {
        NblQueue queued = new NblQueue();
        Ndis.acquireSpinLock(lock);
        closed = true;
        lastUsed = null;
        for (Iterator<ArpCache.Entry> it = cache.iterator(); it.hasNext(); ) {
            queued.appendChain(it.next().queued.takeChain());
        }
        Ndis.releaseSpinLock(lock);
        dropAll(queued, IpCounter.ARP_UNRESOLVED);
    }

    /** After NdisCloseAdapterEx: nothing can reach the cache any more. */
    void free() {
        Ndis.freeSpinLock(lock);
    }

    private void dropAll(NblQueue frames, IpCounter reason) {
        for (NetBufferList frame = frames.pop(); frame != null; frame = frames.pop()) {
            counters.increment(reason);
            binding.data().free(frame);
        }
    }
}
