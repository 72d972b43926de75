package org.ndis4j.nic;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The device's statistics counters: free-running 64-bit counters, readable as register pairs and
 * cleared only by a device reset. Lock-free; counting allocates nothing.
 */
public final class Statistics {

    private static final StatisticsCounter[] COUNTERS = StatisticsCounter.values();

    private final AtomicLongArray counters = new AtomicLongArray(COUNTERS.length);
    /**
     * Register accesses that reached the slot after the device was pulled (reads, writes): what the bus
     * saw, not device counters (nothing of the device answers, so they are not registers and no reset
     * clears them). A driver that stops touching a removed NIC keeps the writes at 0.
     */
    private final AtomicLong readsWhileRemoved = new AtomicLong();

    private final AtomicLong writesWhileRemoved = new AtomicLong();

    /** Adds one to {@code counter}. */
    void increment(StatisticsCounter counter) {
        counters.incrementAndGet(counter.ordinal());
    }

    /** Adds {@code delta} to {@code counter}. */
    void add(StatisticsCounter counter, long delta) {
        counters.addAndGet(counter.ordinal(), delta);
    }

    /** The current value of {@code counter}. */
    public long get(StatisticsCounter counter) {
        return counters.get(counter.ordinal());
    }

    void accessedWhileRemoved(boolean write) {
        (write ? writesWhileRemoved : readsWhileRemoved).incrementAndGet();
    }

    /** Register reads that reached the slot after the device was pulled. */
    public long readsWhileRemoved() {
        return readsWhileRemoved.get();
    }

    /** Register writes that reached the slot after the device was pulled. */
    public long writesWhileRemoved() {
        return writesWhileRemoved.get();
    }

    /** Sets every counter to 0 (device reset). */
    void clear() {
        for (int i = 0; i < COUNTERS.length; i++) {
            counters.set(i, 0);
        }
    }

    /** The register view: index {@code (offset - STATS_BASE) / 4}, low half first; 0 past the end. */
    int readRegister(int offset) {
        int word = (offset - Registers.STATS_BASE) / 4;
        int index = word / 2;
        if (index < 0 || index >= COUNTERS.length) {
            return 0;
        }
        long value = counters.get(index);
        return (word & 1) == 0 ? (int) value : (int) (value >>> 32);
    }

    /** Number of counters, for the register decoder. */
    static int count() {
        return COUNTERS.length;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Statistics[");
        for (int i = 0; i < COUNTERS.length; i++) {
            long value = counters.get(i);
            if (value != 0) {
                text.append(COUNTERS[i]).append('=').append(value).append(' ');
            }
        }
        return text.append(']').toString();
    }
}
