package org.ndis4j.examples.ipstack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ndis4j.ndis.nbl.NblQueue;

/**
 * The ARP cache of one binding: IPv4 address → hardware address, with the packets waiting for an
 * address being resolved. Bounded ({@link #CAPACITY} entries, {@link #MAX_QUEUED} packets each).
 * Not thread-safe: {@link Arp} holds its spin lock around every call.
 *
 * <pre>
 *   (none) ──send to it──► INCOMPLETE ──reply──► REACHABLE ──lifetime over, used──► unicast request
 *                            │ requests sent, retried    ▲      (still used)        │
 *                            │                           └──────── reply ────────────┤
 *                            └─ no answer after the last retry: queued packets dropped; no answer to the
 *                               unicast request, or a lifetime unused past expiry: forgotten
 *   STATIC entries (configured) never expire and are never replaced by what the wire says.
 * </pre>
 */
final class ArpCache {

    static final int CAPACITY = 256;
    static final int MAX_QUEUED = 16;

    /** One cache entry; its fields change under Arp's lock. */
    static final class Entry {
        final int address;
        long mac;
        ArpEntry.State state;
        /** REACHABLE: when the entry stops being used (kernel time, ns). */
        long expiresAt;
        /** REACHABLE past its lifetime: when the unicast confirmation gives up (0: none sent). */
        long probeDeadline;
        /** INCOMPLETE: requests sent so far, and when the next one is due. */
        int requestsSent;

        long nextRequestAt;
        /** INCOMPLETE: finished frames waiting for the address (their destination MAC is written on resolution). */
        final NblQueue queued = new NblQueue();

        Entry(int address) {
            this.address = address;
        }

        boolean isResolved() {
            return state != ArpEntry.State.INCOMPLETE;
        }
    }

    private final Map<Integer, Entry> entries = new HashMap<>();

    /** The entry for {@code address}, or null. */
    Entry get(int address) {
        return entries.get(address);
    }

    /**
     * A new INCOMPLETE entry for {@code address}, or null when the cache is full of entries that are
     * being resolved or static (a resolved one is evicted to make room).
     */
    Entry createIncomplete(int address) {
        if (entries.size() >= CAPACITY && !evictOneResolved()) {
            return null;
        }
        Entry entry = new Entry(address);
        entry.state = ArpEntry.State.INCOMPLETE;
        entries.put(address, entry);
        return entry;
    }

    /** Learns or refreshes {@code address} → {@code mac}, unless the entry is static. Returns the entry, or null when full. */
    Entry learn(int address, long mac, long expiresAt) {
        Entry entry = entries.get(address);
        if (entry == null) {
            entry = createIncomplete(address);
            if (entry == null) {
                return null;
            }
        }
        if (entry.state != ArpEntry.State.STATIC) {
            entry.mac = mac;
            entry.state = ArpEntry.State.REACHABLE;
            entry.expiresAt = expiresAt;
            entry.probeDeadline = 0;
        }
        return entry;
    }

    /** A configured entry (arp -s). */
    void putStatic(int address, long mac) {
        Entry entry = entries.get(address);
        if (entry == null) {
            if (entries.size() >= CAPACITY) {
                evictOneResolved();
            }
            entry = new Entry(address);
            entries.put(address, entry);
        }
        entry.mac = mac;
        entry.state = ArpEntry.State.STATIC;
    }

    void remove(Entry entry) {
        entries.remove(entry.address);
    }

    /** Every entry, for the timer's sweep (it may remove the current one through the iterator). */
    Iterator<Entry> iterator() {
        return entries.values().iterator();
    }

    List<ArpEntry> view() {
        List<ArpEntry> view = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            view.add(new ArpEntry(e.address, e.isResolved() ? e.mac : 0, e.state, e.queued.count()));
        }
        return view;
    }

    private boolean evictOneResolved() {
        Entry oldest = null;
        for (Entry e : entries.values()) {
            if (e.state == ArpEntry.State.REACHABLE && (oldest == null || e.expiresAt < oldest.expiresAt)) {
                oldest = e;
            }
        }
        if (oldest == null) {
            return false;
        }
        entries.remove(oldest.address);
        return true;
    }
}
