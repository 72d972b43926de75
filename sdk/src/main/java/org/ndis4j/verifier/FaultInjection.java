package org.ndis4j.verifier;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.Simulation;

/**
 * Fault injection for one kernel, in the manner of Driver Verifier's low resources simulation: make
 * the next allocations of a kind fail, so a test can prove that a driver handles NULL the way the
 * WDK says it must. NDIS asks {@link #shouldFail} at each allocation that can fail. In a
 * deterministic run with seeded faults on ({@code @DeterministicTest(faults = true)}), an allocation
 * with no explicit failure pending fails when the run's seed says so (see docs/deterministic.md).
 */
public final class FaultInjection {

    /** What can be made to fail. */
    public enum Allocation {
        IO_WORK_ITEM,
        TIMER_OBJECT,
        SHARED_MEMORY,
        /** NdisAllocateNetBufferListPool. */
        NET_BUFFER_LIST_POOL,
        /** NdisAllocateNetBufferList. */
        NET_BUFFER_LIST,
        /** NdisAllocateNetBufferAndNetBufferList. */
        NET_BUFFER_AND_NET_BUFFER_LIST
    }

    /** Guarded by itself: how many of the next allocations of each kind fail. */
    private final Map<Allocation, Integer> failures = new EnumMap<>(Allocation.class);

    /**
     * Whether failNext was ever called: until then an allocation skips the map's lock, since NBL
     * allocations ask once per frame on the data path.
     */
    private volatile boolean armed;

    private FaultInjection(Kernel kernel) {}

    /** The knobs of {@code kernel}. */
    public static FaultInjection of(Kernel kernel) {
        return kernel.extension(FaultInjection.class, FaultInjection::new);
    }

    /** The next {@code count} allocations of {@code kind} fail (return null). */
    public void failNext(Allocation kind, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        synchronized (failures) {
            failures.put(kind, count);
        }
        armed = true;
    }

    /**
     * True, and one fewer failure left, when this allocation must fail; else, in a deterministic run
     * with seeded faults, the run's decision. Called by NDIS.
     */
    public boolean shouldFail(Allocation kind) {
        if (armed) {
            synchronized (failures) {
                Integer left = failures.get(kind);
                if (left != null && left > 0) {
                    failures.put(kind, left - 1);
                    return true;
                }
            }
        }
        Optional<Simulation> run = Simulation.current();
        return run.isPresent() && run.get().fault("alloc:" + kind.name());
    }
}
