package org.ndis4j.wire;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one wire end or switch port. Any thread may add (the event loop receives, a
 * device thread sends); {@link #snapshot()} reads them from any thread. Hot paths add once per
 * burst, not once per frame.
 */
public final class TrafficCounters {

    private final LongAdder rxFrames = new LongAdder();
    private final LongAdder rxBytes = new LongAdder();
    private final LongAdder txFrames = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final EnumMap<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final EnumMap<FrameError, LongAdder> errors = new EnumMap<>(FrameError.class);

    public TrafficCounters() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
        for (FrameError e : FrameError.values()) {
            errors.put(e, new LongAdder());
        }
    }

    public void received(long frames, long bytes) {
        rxFrames.add(frames);
        rxBytes.add(bytes);
    }

    public void transmitted(long frames, long bytes) {
        txFrames.add(frames);
        txBytes.add(bytes);
    }

    public void dropped(DropReason reason) {
        drops.get(reason).increment();
    }

    public void dropped(DropReason reason, long frames) {
        drops.get(reason).add(frames);
    }

    public void error(FrameError error) {
        errors.get(error).increment();
    }

    /** Adds a snapshot of other counters (the switch keeps the totals of ports that left this way). */
    public void add(TrafficStatistics s) {
        received(s.rxFrames(), s.rxBytes());
        transmitted(s.txFrames(), s.txBytes());
        s.drops().forEach((r, n) -> drops.get(r).add(n));
        s.errors().forEach((e, n) -> errors.get(e).add(n));
    }

    /** A consistent-enough copy for display: each counter is read once. */
    public TrafficStatistics snapshot() {
        EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
        drops.forEach((r, a) -> d.put(r, a.sum()));
        EnumMap<FrameError, Long> e = new EnumMap<>(FrameError.class);
        errors.forEach((r, a) -> e.put(r, a.sum()));
        return new TrafficStatistics(
                rxFrames.sum(), rxBytes.sum(), txFrames.sum(), txBytes.sum(), Map.copyOf(d), Map.copyOf(e));
    }
}
