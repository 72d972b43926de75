package org.ndis4j.examples.races;

import java.util.Optional;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;

/**
 * Explores a race scenario as {@code @DeterministicTest} would: iteration {@code i} runs the seed
 * {@code Simulation.iterationSeed(master, i)}, and PCT learns the schedule length (its k) from the
 * iterations before, until the first one fails.
 */
final class RaceExploration {

    private final Race race;
    private final Variant variant;
    private final long master;
    /** The strategy with what it has learned so far (PCT's k). */
    private Exploration exploration;

    RaceExploration(Race race, Variant variant, Exploration exploration, long master) {
        this.race = race;
        this.variant = variant;
        this.exploration = exploration;
        this.master = master;
    }

    /**
     * The first failing schedule.
     *
     * @param iteration its index (0-based): the schedules it took to find the bug are iteration + 1
     * @param seed its seed
     * @param exploration the strategy as that iteration ran it (with PCT's k): with the seed, its token
     *     replays the run
     * @param failure how it failed
     */
    record Found(int iteration, long seed, Exploration exploration, Failure failure) {

        /** "pct(d=2,k=31)/0x1f..": {@code -Dndis4j.det.seed} takes it back. */
        String token() {
            return exploration.token() + "/" + Simulation.seedText(seed);
        }
    }

    /** Runs up to {@code schedules} schedules; the first failing one, or empty when all passed. */
    Optional<Found> firstFailure(int schedules) {
        for (int i = 0; i < schedules; i++) {
            Exploration ran = exploration;
            Optional<Failure> failure = run(i);
            if (failure.isPresent()) {
                return Optional.of(new Found(i, Simulation.iterationSeed(master, i), ran, failure.get()));
            }
        }
        return Optional.empty();
    }

    /** Runs iteration {@code i}; its failure, or empty when it passed. */
    Optional<Failure> run(int i) {
        long seed = Simulation.iterationSeed(master, i);
        RaceRuns.Deterministic run = RaceRuns.deterministic(race, variant, options(i, seed, exploration));
        exploration = exploration.learnedFrom(run.result());
        return run.failure();
    }

    /** Runs the schedule {@code found} names again. */
    Optional<Failure> replay(Found found) {
        return RaceRuns.deterministic(race, variant, options(0, found.seed(), found.exploration()))
                .failure();
    }

    private SimulationOptions options(int iteration, long seed, Exploration strategy) {
        return SimulationOptions.seed(RaceExploration.class.getName() + "#" + race.id, seed)
                .withIteration(iteration, master)
                .withStrategy(strategy);
    }
}
