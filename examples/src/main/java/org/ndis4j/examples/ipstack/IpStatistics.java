package org.ndis4j.examples.ipstack;

import java.util.EnumMap;
import java.util.Map;

/** A snapshot of one binding's counters. */
public final class IpStatistics {

    private final long[] values;

    IpStatistics(long[] values) {
        this.values = values;
    }

    public long get(IpCounter counter) {
        return values[counter.ordinal()];
    }

    /** Everything dropped, whatever the reason. */
    public long drops() {
        long sum = 0;
        for (IpCounter counter : IpCounter.values()) {
            if (counter.isDrop()) {
                sum += values[counter.ordinal()];
            }
        }
        return sum;
    }

    /** The counters that are not zero, in declaration order. */
    public Map<IpCounter, Long> nonZero() {
        Map<IpCounter, Long> map = new EnumMap<>(IpCounter.class);
        for (IpCounter counter : IpCounter.values()) {
            if (values[counter.ordinal()] != 0) {
                map.put(counter, values[counter.ordinal()]);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return nonZero().toString();
    }
}
