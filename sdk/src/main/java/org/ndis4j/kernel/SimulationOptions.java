package org.ndis4j.kernel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one deterministic run goes.
 *
 * @param test the test's name, for the trace header ("org.example.MyTest#races")
 * @param iteration which iteration of the test this is (0 for a single run)
 * @param masterSeed the seed the iteration's seed came from
 * @param seed the iteration's seed: every choice of the run follows from it
 * @param strategy how the run picks among enabled contexts
 * @param granularity where it may switch
 * @param maxSteps a run longer than this fails (a livelock)
 * @param hangs what happens when only watchdogs are pending
 * @param replay a trace to follow instead of the strategy, or null
 * @param traceDirectory where a failing run's trace and event log go, or null for nowhere
 * @param stepTimeout how long (wall time) one step of the test may make no progress
 */
public record SimulationOptions(
        String test,
        int iteration,
        long masterSeed,
        long seed,
        ExplorationStrategy strategy,
        Granularity granularity,
        long maxSteps,
        HangPolicy hangs,
        Path replay,
        Path traceDirectory,
        Duration stepTimeout) {

    /** The virtual time after which a run fails: only timers kept it going. */
    public static final Duration MAX_VIRTUAL_TIME = Duration.ofHours(1);

    /** One run with {@code seed}, the random walk, every NDIS call a point, 100,000 steps at most. */
    public static SimulationOptions seed(String test, long seed) {
        return new SimulationOptions(
                test,
                0,
                seed,
                seed,
                ExplorationStrategy.RANDOM,
                Granularity.NDIS_CALL,
                100_000,
                HangPolicy.REPORT_DEADLOCK,
                null,
                null,
                Duration.ofSeconds(60));
    }

    public SimulationOptions withGranularity(Granularity g) {
        return new SimulationOptions(
                test, iteration, masterSeed, seed, strategy, g, maxSteps, hangs, replay, traceDirectory, stepTimeout);
    }

    public SimulationOptions withReplay(Path trace) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                strategy,
                granularity,
                maxSteps,
                hangs,
                trace,
                traceDirectory,
                stepTimeout);
    }

    public SimulationOptions withTraceDirectory(Path directory) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                strategy,
                granularity,
                maxSteps,
                hangs,
                replay,
                directory,
                stepTimeout);
    }

    public SimulationOptions withMaxSteps(long steps) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                strategy,
                granularity,
                steps,
                hangs,
                replay,
                traceDirectory,
                stepTimeout);
    }

    public SimulationOptions withHangs(HangPolicy policy) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                strategy,
                granularity,
                maxSteps,
                policy,
                replay,
                traceDirectory,
                stepTimeout);
    }

    public SimulationOptions withIteration(int index, long master) {
        return new SimulationOptions(
                test, index, master, seed, strategy, granularity, maxSteps, hangs, replay, traceDirectory, stepTimeout);
    }
}
