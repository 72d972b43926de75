package org.ndis4j.examples.races;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ndis4j.kernel.Exploration;

/**
 * The race corpus under the deterministic scheduler: for each racy driver a fixed-seed PCT (depth 2)
 * exploration finds its race within {@link #SCHEDULES} schedules, with the failure that race must show (a bug check and its rule, a lost update, a
 * deadlock report naming the waiter), and the failing seed fails again the same way; each fixed twin
 * runs {@link #TWIN_SCHEDULES} PCT schedules clean. scripts/det-campaign.sh measures the same scenarios
 * over many seeds and against the threaded kernel (docs/deterministic.md, "Race corpus").
 */
class RaceCorpusTest {

    /** The exploration's budget: PCT with depth 2 finds each race of the corpus well within it (issue 16). */
    static final int SCHEDULES = 1_000;

    static final int TWIN_SCHEDULES = 500;

    static final long MASTER_SEED = 0x16C0FFEEL;

    static final Exploration STRATEGY = Exploration.pct(2);

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
        Optional<Failure> again = exploration.replay(found.get());
        assertThat(again.map(Failure::summary))
                .as("%s: %s fails again", race, found.get().token())
                .contains(failure.summary());
    }

    @ParameterizedTest
    @EnumSource(Race.class)
    void theFixedTwinRunsClean(Race race) {
        RaceExploration exploration = new RaceExploration(race, Variant.FIXED, STRATEGY, MASTER_SEED);

        Optional<RaceExploration.Found> found = exploration.firstFailure(TWIN_SCHEDULES);

        assertThat(found.map(f -> "iteration " + f.iteration() + ", " + f.token() + ": "
                        + f.failure().text()))
                .as("%s's fixed twin over %d schedules", race, TWIN_SCHEDULES)
                .isEmpty();
    }
}
