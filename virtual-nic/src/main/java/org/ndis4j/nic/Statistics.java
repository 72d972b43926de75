package org.ndis4j.nic;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * The device's statistics counters: free-running 64-bit counters, readable as register pairs and
 * cleared only by a device reset, which moves each one to its at-reset register in one step (a count
 * that lands during the reset is in one or the other, never lost). Lock-free; counting allocates
 * nothing.
 */
public final class Statistics {

    private static final StatisticsCounter[] COUNTERS = StatisticsCounter.values();

    private final AtomicLongArray counters = new AtomicLongArray(COUNTERS.length);
    /** What each counter held when the last reset cleared it. */
    private final AtomicLongArray atReset = new AtomicLongArray(COUNTERS.length);
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

    /** What {@code counter} held when the last device reset cleared it (0 before the first). */
    public long getAtReset(StatisticsCounter counter) {
        return atReset.get(counter.ordinal());
    }

    /** Device reset: every counter to 0, what it held to its at-reset value (one atomic step each). */
    void clear() {
        for (int i = 0; i < COUNTERS.length; i++) {
            atReset.set(i, counters.getAndSet(i, 0));
        }
    }

    /**
     * The register view: STATS (from {@link Registers#STATS_BASE}) or STATS_AT_RESET (from
     * {@link Registers#STATS_AT_RESET_BASE}); index {@code (offset - base) / 4}, low half first; 0 past
     * the end.
     */
    int readRegister(int offset) {
        boolean ofReset = offset >= Registers.STATS_AT_RESET_BASE;
        int word = (offset - (ofReset ? Registers.STATS_AT_RESET_BASE : Registers.STATS_BASE)) / 4;
        int index = word / 2;
        if (index < 0 || index >= COUNTERS.length) {
            return 0;
        }
        long value = (ofReset ? atReset : counters).get(index);
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
