package org.ndis4j.kernel.internal.controlled;

import java.nio.file.Path;

/**
 * How one deterministic run goes: its seed (what the trace calls the iteration seed, and the master
 * seed and iteration it came from), its strategy, its granularity, its limits, a trace to replay
 * instead of the strategy (null for none), and its seeded-fault rate (0: no faults).
 */
public record WorldSettings(
        String test,
        int iteration,
        long masterSeed,
        long seed,
        boolean dispatchAtomic,
        long maxSteps,
        boolean fireWatchdogs,
        long maxVirtualNanos,
        Path replay,
        StrategySettings strategy,
        double faultRate) {}
