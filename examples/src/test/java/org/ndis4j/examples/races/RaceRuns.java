package org.ndis4j.examples.races;

import java.util.Optional;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;

/** One schedule of a race scenario, on a deterministic run or on the threaded kernel. */
final class RaceRuns {

    private RaceRuns() {}

    /**
     * One deterministic run's outcome.
     *
     * @param failure how it failed, or empty
     * @param result the run's result (its choice steps teach PCT the schedule length)
     */
    record Deterministic(Optional<Failure> failure, SimulationResult result) {}

    /** The scenario under one deterministic run with {@code options}. */
    static Deterministic deterministic(Race race, Variant variant, SimulationOptions options) {
        Simulation sim = Simulation.start(options);
        Kernel[] kernel = new Kernel[1];
        Throwable failure = null;
        try {
            sim.call(() -> {
                kernel[0] = Kernel.boot(race.config(KernelConfig.Scheduling.DETERMINISTIC));
                try {
                    race.run(kernel[0], variant);
                } finally {
                    kernel[0].close();
                }
                return null;
            });
        } catch (Throwable t) {
            failure = t;
        }
        CrashReport crash = kernel[0] == null ? null : kernel[0].crashReport().orElse(null);
        SimulationResult result =
                sim.finish(failure == null && crash != null ? new AssertionError(crash.headline()) : failure);
        if (crash != null) {
            return new Deterministic(Optional.of(Failure.of(crash)), result);
        }
        return new Deterministic(
                result.passed() ? Optional.empty() : Optional.of(Failure.of(result.failure())), result);
    }

    /** The scenario once on a fresh threaded kernel; empty when it passed. */
    static Optional<Failure> threaded(Race race, Variant variant) {
        Kernel kernel = Kernel.boot(race.config(KernelConfig.Scheduling.THREADED));
        Throwable failure = null;
        try {
            race.run(kernel, variant);
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        Optional<CrashReport> crash = kernel.crashReport();
        if (crash.isPresent()) {
            return Optional.of(Failure.of(crash.get()));
        }
        return failure == null ? Optional.empty() : Optional.of(Failure.of(String.valueOf(failure.getMessage())));
    }
}
