package org.ndis4j.kernel.internal.controlled;

import java.nio.file.Path;

/**
 * How one deterministic run goes: its seed (what the trace calls the iteration seed, and the master
 * seed and iteration it came from), its granularity, its limits, and a trace to replay instead of
 * the random walk (null for none).
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
        Path replay) {}
