package org.ndis4j.kernel.internal.controlled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;

/**
 * The sticky random strategy: the context that reached the point goes on with probability 1 − 2^−b,
 * a switch is uniform among the others, and the same seed gives the same run.
 */
class ProbabilisticTest {

    private static final int[] FOUR = {0, 1, 2, 3};

    @Test
    void theRunningContextGoesOnWithProbabilityOneMinusTwoToTheMinusB() {
        for (int bias : new int[] {1, 3}) {
            Probabilistic p = new Probabilistic(42, bias);
            int stays = 0;
            int[] to = new int[4];
            for (int i = 0; i < 20_000; i++) {
                int picked = FOUR[p.pickFor(2, FOUR, 4)];
                if (picked == 2) {
                    stays++;
                }
                to[picked]++;
            }
            double expected = 1 - Math.pow(2, -bias);
            assertThat(stays / 20_000.0).as("b=%d", bias).isBetween(expected - 0.02, expected + 0.02);
            int switches = 20_000 - stays;
            for (int other : new int[] {0, 1, 3}) {
                assertThat(to[other] / (double) switches)
                        .as("b=%d: a switch goes to %d", bias, other)
                        .isBetween(0.28, 0.39);
            }
        }
    }

    @Test
    void whenTheRunningContextMayNotGoOnThePickIsUniform() {
        Probabilistic p = new Probabilistic(7, 3);
        int[] to = new int[4];
        for (int i = 0; i < 12_000; i++) {
            to[FOUR[p.pickFor(9, FOUR, 4)]]++;
        }
        for (int n : to) {
            assertThat(n).isBetween(2_700, 3_300);
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndItSwitchesLessThanTheRandomWalk() {
        long stickySwitches = 0;
        long randomSwitches = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimulationOptions o =
                    SimulationOptions.seed("ProbabilisticTest", seed).withStrategy(Exploration.probabilistic(3));
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            List<String> random = new ArrayList<>();
            SimulationResult r1 = Runs.run(o, Runs.workItemsAndDpcs(a, 10, false));
            SimulationResult r2 = Runs.run(o, Runs.workItemsAndDpcs(b, 10, false));
            SimulationResult r3 = Runs.run(
                    SimulationOptions.seed("ProbabilisticTest", seed), Runs.workItemsAndDpcs(random, 10, false));
            assertThat(r1.passed()).as(r1.failure()).isTrue();
            assertThat(r1.strategy()).isEqualTo("probabilistic(b=3,fairAfter=1000)");
            assertThat(b).isEqualTo(a);
            assertThat(r2.eventLogSha256()).isEqualTo(r1.eventLogSha256());
            assertThat(r3.passed()).as(r3.failure()).isTrue();
            stickySwitches += PctTest.switches(a);
            randomSwitches += PctTest.switches(random);
        }
        assertThat(stickySwitches)
                .as("routine switches: sticky %d, random %d", stickySwitches, randomSwitches)
                .isLessThan(randomSwitches);
    }
}
