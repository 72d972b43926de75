package org.ndis4j.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The forwarding database of a learning switch: MAC address → port, with ageing. Bounded: at
 * capacity, aged entries are purged and, failing that, the new address is not learned (its frames
 * are flooded, which is what a full hardware table does).
 *
 * <p>Open addressing with linear probing over primitive arrays, so a lookup allocates nothing.
 * Confined to the switch's event loop; times come from the switch's injectable clock.
 *
 * @param <P> the port type
 */
final class MacTable<P> {

    /** Marks a used slot; a MAC is 48 bits, so bit 63 is free for it. */
    private static final long USED = 1L << 63;

    private final long ageingNanos;
    private final int capacity;
    private final int mask;
    private final long[] keys;
    private final Object[] ports;
    private final long[] lastSeen;
    private int size;

    MacTable(int capacity, long ageingNanos) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("MAC table capacity " + capacity + " is outside 1.." + (1 << 24));
        }
        if (ageingNanos <= 0) {
            throw new IllegalArgumentException("ageing time must be positive, was " + ageingNanos + " ns");
        }
        this.capacity = capacity;
        this.ageingNanos = ageingNanos;
        int slots = Integer.highestOneBit(capacity * 2 - 1) << 1; // load factor <= 1/2
        this.mask = slots - 1;
        this.keys = new long[slots];
        this.ports = new Object[slots];
        this.lastSeen = new long[slots];
    }

    int size() {
        return size;
    }

    /** Records that {@code mac} was seen on {@code port} at {@code now}; false when the table is full. */
    boolean learn(long mac, P port, long now) {
        long key = mac | USED;
        int i = home(mac);
        for (long k; (k = keys[i]) != 0; i = (i + 1) & mask) {
            if (k == key) {
                ports[i] = port; // a station that moved is learned on its new port
                lastSeen[i] = now;
                return true;
            }
        }
        if (size >= capacity) {
            purgeAged(now);
            if (size >= capacity) {
                return false;
            }
            return learn(mac, port, now);
        }
        keys[i] = key;
        ports[i] = port;
        lastSeen[i] = now;
        size++;
        return true;
    }

    /** The port {@code mac} was last seen on, or null when unknown or aged out. */
    @SuppressWarnings("unchecked")
    P lookup(long mac, long now) {
        long key = mac | USED;
        for (int i = home(mac); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (now - lastSeen[i] > ageingNanos) {
                    removeAt(i);
                    return null;
                }
                return (P) ports[i];
            }
        }
        return null;
    }

    /** Forgets every address learned on {@code port} (it went away). */
    void forget(P port) {
        removeIf((i, p) -> p == port);
    }

    /** Drops every entry older than the ageing time. */
    void purgeAged(long now) {
        removeIf((i, p) -> now - lastSeen[i] > ageingNanos);
    }

    /** Visits every live entry: MAC and port. */
    @SuppressWarnings("unchecked")
    void forEach(long now, BiConsumer<Long, P> visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && now - lastSeen[i] <= ageingNanos) {
                visitor.accept(keys[i] & ~USED, (P) ports[i]);
            }
        }
    }

    private interface SlotPredicate {
        boolean test(int slot, Object port);
    }

    private void removeIf(SlotPredicate predicate) {
        List<Long> doomed = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && predicate.test(i, ports[i])) {
                doomed.add(keys[i] & ~USED);
            }
        }
        // Removal shifts entries, so remove by key rather than by slot.
        for (long mac : doomed) {
            long key = mac | USED;
            for (int i = home(mac); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    removeAt(i);
                    break;
                }
            }
        }
    }

    /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
    private void removeAt(int hole) {
        int i = hole;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int h = home(keys[j] & ~USED);
            // Move j into the hole unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (!stays) {
                keys[i] = keys[j];
                ports[i] = ports[j];
                lastSeen[i] = lastSeen[j];
                i = j;
            }
        }
        keys[i] = 0;
        ports[i] = null;
        size--;
    }

    private int home(long mac) {
        long h = mac * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
