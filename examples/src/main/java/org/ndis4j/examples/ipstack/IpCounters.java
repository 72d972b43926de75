package org.ndis4j.examples.ipstack;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one binding: one atomic slot per {@link IpCounter}, bumped at any IRQL without a
 * lock. Each slot has a 64-byte cache line of its own: a sender bumps UDP_SENT and FRAMES_SENT while
 * the NIC's thread bumps SENDS_COMPLETED, and neighbouring slots would move one line between their
 * cores on every datagram.
 */
final class IpCounters {

    private static final IpCounter[] ALL = IpCounter.values();
    /** Slots of the array per counter: eight longs, one cache line. */
    private static final int STRIDE = 8;

    private final AtomicLongArray values = new AtomicLongArray(ALL.length * STRIDE);

    void increment(IpCounter counter) {
        values.incrementAndGet(counter.ordinal() * STRIDE);
    }

    void add(IpCounter counter, long delta) {
        values.addAndGet(counter.ordinal() * STRIDE, delta);
    }

    long get(IpCounter counter) {
        return values.get(counter.ordinal() * STRIDE);
    }

    IpStatistics snapshot() {
        long[] copy = new long[ALL.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = values.get(i * STRIDE);
        }
        return new IpStatistics(copy);
    }
}
