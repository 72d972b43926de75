package org.ndis4j.examples.races;

import java.util.Optional;
import org.ndis4j.kernel.ExplorationStrategy;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;

/**
 * Explores a race scenario: up to {@code schedules} deterministic runs, iteration {@code i} with the
 * seed {@code Simulation.iterationSeed(master, i)} (as {@code @DeterministicTest} derives them), until
 * the first one fails.
 *
 * @param race the scenario
 * @param variant the racy driver or its fixed twin
 * @param strategy how each run picks among enabled contexts
 * @param master the master seed
 */
record RaceExploration(Race race, Variant variant, ExplorationStrategy strategy, long master) {

    /**
     * The first failing schedule.
     *
     * @param iteration its index (0-based): the schedules it took to find the bug are iteration + 1
     * @param seed its seed: {@code -Dndis4j.det.seed} with one iteration replays it
     * @param failure how it failed
     */
    record Found(int iteration, long seed, Failure failure) {}

    /** Runs up to {@code schedules} schedules; the first failing one, or empty when all passed. */
    Optional<Found> firstFailure(int schedules) {
        for (int i = 0; i < schedules; i++) {
            Optional<Failure> failure = run(i);
            if (failure.isPresent()) {
                return Optional.of(new Found(i, Simulation.iterationSeed(master, i), failure.get()));
            }
        }
        return Optional.empty();
    }

    /** Runs iteration {@code i}; its failure, or empty when it passed. */
    Optional<Failure> run(int i) {
        return RaceRuns.deterministic(race, variant, options(i, Simulation.iterationSeed(master, i)));
    }

    /** Runs the one schedule with {@code seed} again. */
    Optional<Failure> replay(long seed) {
        return RaceRuns.deterministic(race, variant, options(0, seed));
    }

    private SimulationOptions options(int iteration, long seed) {
        SimulationOptions base = SimulationOptions.seed(RaceExploration.class.getName() + "#" + race.id, seed)
                .withIteration(iteration, master);
        return new SimulationOptions(
                base.test(),
                base.iteration(),
                base.masterSeed(),
                base.seed(),
                strategy,
                base.granularity(),
                base.maxSteps(),
                base.hangs(),
                base.replay(),
                base.traceDirectory(),
                base.stepTimeout());
    }
}
