package org.ndis4j.kernel.internal.controlled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;

/**
 * PCT: no change points in a run's first iteration, d − 1 distinct change points spread over the
 * learned length k, the top action runs until a change point or a poll lowers it, and the same
 * seed draws the same priorities and gives the same schedule.
 */
class PctTest {

    private static final int[] THREE = {0, 1, 2};

    /** The action PCT runs at choice step {@code c} among {@code actions}. */
    private static int pick(Pct pct, int[] actions, long c) {
        return actions[pct.pick(actions, actions.length, c, c, "T", "test", null)];
    }

    @Test
    void theFirstIterationHasNoChangePoints() {
        for (long seed = 0; seed < 200; seed++) {
            assertThat(new Pct(seed, 2, 0).changePoints()).isEmpty();
            assertThat(new Pct(seed, 5, 0).changePoints()).isEmpty();
        }
        SimulationResult r = Runs.run(
                SimulationOptions.seed("PctTest", 7).withStrategy(Exploration.pct(3)),
                Runs.workItemsAndDpcs(new ArrayList<>(), 3, false));
        assertThat(r.passed()).as(r.failure()).isTrue();
        assertThat(r.strategy()).isEqualTo("pct(d=3,k=0,changes=[],fairAfter=1000)");
    }

    @Test
    void changePointsAreDistinctAndSpreadOverTheLearnedLength() {
        int k = 41;
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 2_000; seed++) {
            long[] cp = new Pct(seed, 3, k).changePoints();
            assertThat(cp).hasSize(2);
            assertThat(cp[0]).isLessThan(cp[1]).isGreaterThanOrEqualTo(1);
            assertThat(cp[1]).isLessThanOrEqualTo(k);
            seen.add(cp[0]);
            seen.add(cp[1]);
        }
        assertThat(seen).as("every choice step of [1, k] is drawn by some seed").hasSize(k);
        assertThat(new Pct(9, 6, 3).changePoints()).as("k < d − 1: every step").containsExactly(1, 2, 3);
    }

    @Test
    void theTopActionRunsUntilAChangePointLowersIt() {
        for (long seed = 0; seed < 100; seed++) {
            Pct pct = new Pct(seed, 2, 20);
            long change = pct.changePoints()[0];
            int first = pick(pct, THREE, 0); // choice step 0 is never a change point
            for (long c = 1; c <= 20; c++) {
                int now = pick(pct, THREE, c);
                if (c < change) {
                    assertThat(now)
                            .as("seed %d, step %d before the change point %d", seed, c, change)
                            .isEqualTo(first);
                } else {
                    assertThat(now)
                            .as("seed %d, step %d from the change point %d", seed, c, change)
                            .isNotEqualTo(first);
                }
            }
        }
    }

    @Test
    void aBlockedTopActionLetsTheNextRunAndAPollerDropsToTheBottom() {
        Pct pct = new Pct(3, 1, 0);
        int top = pick(pct, THREE, 1);
        int[] others = {top == 0 ? 1 : 0, top == 2 ? 1 : 2};
        int second = pick(pct, others, 2);
        assertThat(pick(pct, THREE, 3)).as("top again once enabled").isEqualTo(top);

        pct.yielded(top);
        assertThat(pick(pct, THREE, 4)).as("after its poll ran out").isEqualTo(second);
        assertThat(pick(pct, new int[] {top, second == 0 ? 1 : 0}, 5))
                .as("below every other")
                .isNotEqualTo(top);
    }

    @Test
    void aNewActionGetsARandomPlace() {
        int[] ranks = new int[3];
        for (long seed = 0; seed < 600; seed++) {
            Pct pct = new Pct(seed, 1, 0);
            pick(pct, new int[] {0, 1}, 1);
            int topOfTwo = pick(pct, new int[] {0, 1}, 2);
            int withNew = pick(pct, THREE, 3);
            if (withNew == 2) {
                ranks[0]++;
            } else if (pick(pct, new int[] {topOfTwo == 0 ? 1 : 0, 2}, 4) == 2) {
                ranks[1]++;
            } else {
                ranks[2]++;
            }
        }
        for (int rank : ranks) {
            assertThat(rank)
                    .as("top, middle, bottom: each about a third of 600")
                    .isBetween(150, 250);
        }
    }

    @Test
    void theSameSeedDrawsTheSamePrioritiesAndSchedule(@TempDir Path dir) throws Exception {
        Set<String> hashes = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            SimulationOptions o = SimulationOptions.seed("PctTest", seed)
                    .withStrategy(Exploration.pct(2).withLearnedChoiceSteps(30))
                    .withTraceDirectory(dir.resolve("a"));
            List<String> order1 = new ArrayList<>();
            List<String> order2 = new ArrayList<>();
            SimulationResult r1 = Runs.run(o, Runs.workItemsAndDpcs(order1, 4, true));
            SimulationResult r2 =
                    Runs.run(o.withTraceDirectory(dir.resolve("b")), Runs.workItemsAndDpcs(order2, 4, true));
            assertThat(r1.strategy()).startsWith("pct(d=2,k=30,changes=[").isEqualTo(r2.strategy());
            assertThat(order2).isEqualTo(order1);
            assertThat(r2.eventLogSha256()).isEqualTo(r1.eventLogSha256());
            assertThat(Runs.traceLines(r2, "step")).isEqualTo(Runs.traceLines(r1, "step"));
            hashes.add(r1.eventLogSha256());
        }
        assertThat(hashes).as("different seeds, different schedules").hasSizeGreaterThan(5);
    }

    @Test
    void pctSwitchesFarLessThanTheRandomWalk() {
        long pctChoices = 0;
        long randomChoices = 0;
        long pctSwitches = 0;
        long randomSwitches = 0;
        for (long seed = 1; seed <= 20; seed++) {
            List<String> pctOrder = new ArrayList<>();
            List<String> randomOrder = new ArrayList<>();
            SimulationResult p = Runs.run(
                    SimulationOptions.seed("PctTest", seed)
                            .withStrategy(Exploration.pct(2).withLearnedChoiceSteps(40)),
                    Runs.workItemsAndDpcs(pctOrder, 10, false));
            SimulationResult r =
                    Runs.run(SimulationOptions.seed("PctTest", seed), Runs.workItemsAndDpcs(randomOrder, 10, false));
            assertThat(p.passed()).as(p.failure()).isTrue();
            assertThat(r.passed()).as(r.failure()).isTrue();
            pctChoices += p.choiceSteps();
            randomChoices += r.choiceSteps();
            pctSwitches += switches(pctOrder);
            randomSwitches += switches(randomOrder);
        }
        assertThat(pctSwitches)
                .as(
                        "routine switches: PCT %d (%d choices), random %d (%d choices)",
                        pctSwitches, pctChoices, randomSwitches, randomChoices)
                .isLessThan(randomSwitches / 2);
    }

    /** How often consecutive entries of {@code order} come from different routines. */
    static int switches(List<String> order) {
        int n = 0;
        for (int i = 1; i < order.size(); i++) {
            if (!order.get(i).substring(0, 2).equals(order.get(i - 1).substring(0, 2))) {
                n++;
            }
        }
        return n;
    }
}
