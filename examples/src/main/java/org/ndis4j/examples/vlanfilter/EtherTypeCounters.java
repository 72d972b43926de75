package org.ndis4j.examples.vlanfilter;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The filter's counters: frames per EtherType in each direction (one slot per EtherType, bumped
 * without a lock at DISPATCH_LEVEL), and what it dropped or changed.
 */
final class EtherTypeCounters {

    /** Frames shorter than an Ethernet header count under this slot. */
    static final int RUNT = 0;

    private final AtomicLongArray sent = new AtomicLongArray(1 << 16);
    private final AtomicLongArray received = new AtomicLongArray(1 << 16);
    final AtomicLong policyDropsSend = new AtomicLong();
    final AtomicLong policyDropsReceive = new AtomicLong();
    final AtomicLong vlanMismatchDrops = new AtomicLong();
    final AtomicLong tagsInserted = new AtomicLong();
    final AtomicLong tagsStripped = new AtomicLong();
    final AtomicLong resourceDrops = new AtomicLong();

    void sent(int etherType) {
        sent.incrementAndGet(etherType < 0 ? RUNT : etherType);
    }

    void received(int etherType) {
        received.incrementAndGet(etherType < 0 ? RUNT : etherType);
    }

    /** A snapshot: the EtherTypes seen (at most {@link VlanFilterStatistics#MAX_ENTRIES}, lowest first). */
    VlanFilterStatistics snapshot() {
        Map<Integer, Long> s = new HashMap<>();
        Map<Integer, Long> r = new HashMap<>();
        int entries = 0;
        for (int type = 0; type < (1 << 16) && entries < VlanFilterStatistics.MAX_ENTRIES; type++) {
            long out = sent.get(type);
            long in = received.get(type);
            if (out != 0 || in != 0) {
                entries++;
                if (out != 0) {
                    s.put(type, out);
                }
                if (in != 0) {
                    r.put(type, in);
                }
            }
        }
        return new VlanFilterStatistics(
                s,
                r,
                policyDropsSend.get(),
                policyDropsReceive.get(),
                vlanMismatchDrops.get(),
                tagsInserted.get(),
                tagsStripped.get(),
                resourceDrops.get());
    }
}
