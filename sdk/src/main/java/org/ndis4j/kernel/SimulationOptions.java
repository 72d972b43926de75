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
 * @param strategy how the run picks among enabled contexts, with its parameters
 * @param granularity where it may switch
 * @param maxSteps a run longer than this fails (a livelock)
 * @param hangs what happens when only watchdogs are pending
 * @param replay a trace to follow instead of the strategy, or null
 * @param traceDirectory where a failing run's trace and event log go, or null for nowhere
 * @param stepTimeout how long (wall time) one step of the test may make no progress
 * @param faultRate the probability of each seeded fault decision (a failed allocation, a late
 *     timer, an oversleep, a delayed work item); 0: no faults (the default)
 */
public record SimulationOptions(
        String test,
        int iteration,
        long masterSeed,
        long seed,
        Exploration strategy,
        Granularity granularity,
        long maxSteps,
        HangPolicy hangs,
        Path replay,
        Path traceDirectory,
        Duration stepTimeout,
        double faultRate) {

    /** The virtual time after which a run fails: only timers kept it going. */
    public static final Duration MAX_VIRTUAL_TIME = Duration.ofHours(1);

    /** The fault rate {@code faults = true} means unless {@code ndis4j.det.faultRate} says otherwise. */
    public static final double DEFAULT_FAULT_RATE = 0.05;

    public SimulationOptions {
        if (strategy == null) {
            throw new IllegalArgumentException("no strategy");
        }
        if (!(faultRate >= 0 && faultRate <= 1)) {
            throw new IllegalArgumentException("the fault rate is in [0, 1], not " + faultRate);
        }
    }

    /** One run with {@code seed}, the random walk, every NDIS call a point, 100,000 steps at most, no faults. */
    public static SimulationOptions seed(String test, long seed) {
        return new SimulationOptions(
                test,
                0,
                seed,
                seed,
                Exploration.random(),
                Granularity.NDIS_CALL,
                100_000,
                HangPolicy.REPORT_DEADLOCK,
                null,
                null,
                Duration.ofSeconds(60),
                0);
    }

    public SimulationOptions withStrategy(Exploration s) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                s,
                granularity,
                maxSteps,
                hangs,
                replay,
                traceDirectory,
                stepTimeout,
                faultRate);
    }

    public SimulationOptions withGranularity(Granularity g) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                seed,
                strategy,
                g,
                maxSteps,
                hangs,
                replay,
                traceDirectory,
                stepTimeout,
                faultRate);
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
                stepTimeout,
                faultRate);
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
                stepTimeout,
                faultRate);
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
                stepTimeout,
                faultRate);
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
                stepTimeout,
                faultRate);
    }

    /** Iteration {@code index} of a run under master seed {@code master}; the seed stays as it is. */
    public SimulationOptions withIteration(int index, long master) {
        return new SimulationOptions(
                test,
                index,
                master,
                seed,
                strategy,
                granularity,
                maxSteps,
                hangs,
                replay,
                traceDirectory,
                stepTimeout,
                faultRate);
    }

    /** The same run with seed {@code s}. */
    public SimulationOptions withSeed(long s) {
        return new SimulationOptions(
                test,
                iteration,
                masterSeed,
                s,
                strategy,
                granularity,
                maxSteps,
                hangs,
                replay,
                traceDirectory,
                stepTimeout,
                faultRate);
    }

    /** Seeded faults at {@code rate} per decision (0: off). */
    public SimulationOptions withFaults(double rate) {
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
                traceDirectory,
                stepTimeout,
                rate);
    }

    /** The token that replays this run by seed: "pct(d=2,k=41)/0x2a". */
    public String seedToken() {
        return strategy.token() + "/0x" + Long.toHexString(seed);
    }
}
