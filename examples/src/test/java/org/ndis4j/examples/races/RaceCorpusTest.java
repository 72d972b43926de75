package org.ndis4j.examples.races;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ndis4j.kernel.ExplorationStrategy;

/**
 * The race corpus under the deterministic scheduler: for each racy driver a fixed-seed exploration
 * finds its race, with the failure that race must show (a bug check and its rule, a lost update, a
 * deadlock report naming the waiter), and the failing seed fails again the same way; each fixed twin
 * runs {@link #TWIN_SCHEDULES} schedules clean. scripts/det-campaign.sh measures the same scenarios
 * over many seeds and against the threaded kernel (docs/deterministic.md, "Race corpus").
 */
class RaceCorpusTest {

    /** The exploration's budget; the random walk finds every race of the corpus well within it. */
    static final int SCHEDULES = 10_000;

    static final int TWIN_SCHEDULES = 500;

    static final long MASTER_SEED = 0x16C0FFEEL;

    static final ExplorationStrategy STRATEGY = ExplorationStrategy.RANDOM;

    @ParameterizedTest
    @EnumSource(Race.class)
    void theRacyDriverIsFoundWithItsFailure(Race race) {
        RaceExploration exploration = new RaceExploration(race, Variant.RACY, STRATEGY, MASTER_SEED);

        Optional<RaceExploration.Found> found = exploration.firstFailure(SCHEDULES);

        assertThat(found)
                .as("%s: a failing schedule within %d", race, SCHEDULES)
                .isPresent();
        Failure failure = found.get().failure();
        assertThat(race.shows(failure))
                .as("%s shows its own failure, not %s:%n%s", race, failure.summary(), failure.text())
                .isTrue();
        Optional<Failure> again = exploration.replay(found.get().seed());
        assertThat(again.map(Failure::summary))
                .as(
                        "%s: seed %s fails again",
                        race, Long.toHexString(found.get().seed()))
                .contains(failure.summary());
    }

    @ParameterizedTest
    @EnumSource(Race.class)
    void theFixedTwinRunsClean(Race race) {
        RaceExploration exploration = new RaceExploration(race, Variant.FIXED, STRATEGY, MASTER_SEED);

        Optional<RaceExploration.Found> found = exploration.firstFailure(TWIN_SCHEDULES);

        assertThat(found.map(f -> "iteration " + f.iteration() + ", seed " + Long.toHexString(f.seed()) + ": "
                        + f.failure().text()))
                .as("%s's fixed twin over %d schedules", race, TWIN_SCHEDULES)
                .isEmpty();
    }
}
