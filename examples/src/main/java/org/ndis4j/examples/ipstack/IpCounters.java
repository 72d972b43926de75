package org.ndis4j.examples.ipstack;

import java.util.concurrent.atomic.AtomicLongArray;

/** The counters of one binding: one atomic slot per {@link IpCounter}, bumped at any IRQL without a lock. */
final class IpCounters {

    private static final IpCounter[] ALL = IpCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void increment(IpCounter counter) {
        values.incrementAndGet(counter.ordinal());
    }

    void add(IpCounter counter, long delta) {
        values.addAndGet(counter.ordinal(), delta);
    }

    long get(IpCounter counter) {
        return values.get(counter.ordinal());
    }

    IpStatistics snapshot() {
        long[] copy = new long[ALL.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = values.get(i);
        }
        return new IpStatistics(copy);
    }
}
