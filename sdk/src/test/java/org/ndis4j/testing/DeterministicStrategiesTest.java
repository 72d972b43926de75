package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.KitRuns.onlyFailure;
import static org.ndis4j.testing.KitRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.ExplorationStrategy;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.Simulation;

/**
 * The strategies through {@link DeterministicTest}: the annotation and {@code ndis4j.det.strategy}
 * select them, PCT learns k from the iterations before, and a failure's seed token replays the
 * failing iteration by seed with the same schedule.
 */
class DeterministicStrategiesTest {

    static class LostUpdateUnderPct {
        @DeterministicTest(iterations = 300, seed = "0x16", strategy = ExplorationStrategy.PCT)
        @KernelOptions(processors = 2, criticalWorkers = 1, delayedWorkers = 1)
        void countsBoth(Kernel kernel) {
            DeterministicTestTest.lostUpdate(kernel);
        }
    }

    static class LostUpdateUnderProbabilistic {
        @DeterministicTest(iterations = 300, seed = "0x16", strategy = ExplorationStrategy.PROBABILISTIC, bias = 2)
        @KernelOptions(processors = 2, criticalWorkers = 1, delayedWorkers = 1)
        void countsBoth(Kernel kernel) {
            DeterministicTestTest.lostUpdate(kernel);
        }
    }

    static class Learning {
        static final List<Exploration> SEEN = new CopyOnWriteArrayList<>();

        @DeterministicTest(iterations = 4, seed = "0x5", strategy = ExplorationStrategy.PCT, depth = 3)
        @KernelOptions(processors = 2, criticalWorkers = 2, delayedWorkers = 1)
        void records(Kernel kernel) {
            SEEN.add(Simulation.current().orElseThrow().options().strategy());
            DeterministicTestTest.lostUpdate(kernel);
        }
    }

    @Test
    void pctLearnsTheScheduleLengthFromTheIterationsBefore() {
        Learning.SEEN.clear();
        // lostUpdate may fail under some schedules; only the strategies each iteration saw matter here
        run(Learning.class);
        List<Exploration> seen = Learning.SEEN;
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0)).isEqualTo(Exploration.pct(3));
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).strategy()).isEqualTo(ExplorationStrategy.PCT);
            assertThat(seen.get(i).depth()).isEqualTo(3);
            assertThat(seen.get(i).learnedChoiceSteps())
                    .as("k of iteration %d", i + 1)
                    .isPositive()
                    .isGreaterThanOrEqualTo(seen.get(i - 1).learnedChoiceSteps());
        }
    }

    @Test
    void pctFailsWithASeedTokenThatReplaysTheIteration() throws Exception {
        replaysBySeed(LostUpdateUnderPct.class, "pct\\(d=2,k=\\d+\\)");
    }

    @Test
    void probabilisticFailsWithASeedTokenThatReplaysTheIteration() throws Exception {
        replaysBySeed(LostUpdateUnderProbabilistic.class, "probabilistic\\(b=2\\)");
    }

    @Test
    void theStrategyPropertyOverridesTheAnnotation() throws Exception {
        System.setProperty(DeterministicRuns.STRATEGY, "pct(d=3)");
        Throwable failure;
        try {
            failure = onlyFailure(run(DeterministicTestTest.LostUpdate.class));
        } finally {
            System.clearProperty(DeterministicRuns.STRATEGY);
        }
        assertThat(failure.getMessage()).contains("pct(d=3,k=");
        assertThat(Files.readAllLines(trace(failure.getMessage())).get(0)).contains("\"strategy\":\"pct(d=3,k=");
    }

    @Test
    void anUnknownStrategyIsOneClearLine() {
        System.setProperty(DeterministicRuns.STRATEGY, "dfs");
        List<Throwable> failures;
        try {
            failures = run(DeterministicTestTest.Clean.class).containerEvents().failed().stream()
                    .map(e -> e.getRequiredPayload(TestExecutionResult.class)
                            .getThrowable()
                            .orElseThrow())
                    .toList();
        } finally {
            System.clearProperty(DeterministicRuns.STRATEGY);
        }
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getMessage()).startsWith("ndis4j.det.strategy=dfs: 'dfs' names no strategy");
    }

    private static void replaysBySeed(Class<?> test, String tokenPattern) throws Exception {
        String message = onlyFailure(run(test)).getMessage();
        assertThat(message).contains("increments");
        String token = find("-Dndis4j.det.seed='(" + tokenPattern + "/0x[0-9a-f]+)'", message);
        String first = footerHash(trace(message));

        System.setProperty(DeterministicRuns.SEED, token);
        System.setProperty(DeterministicRuns.ITERATIONS, "1");
        String again;
        try {
            again = onlyFailure(run(test)).getMessage();
        } finally {
            System.clearProperty(DeterministicRuns.SEED);
            System.clearProperty(DeterministicRuns.ITERATIONS);
        }
        assertThat(again)
                .startsWith("DeterministicTest failed in iteration 1 of 1")
                .contains("increments");
        assertThat(find("-Dndis4j.det.seed='(\\S+)'", again)).isEqualTo(token);
        assertThat(footerHash(trace(again))).as("the same schedule and outcome").isEqualTo(first);
    }

    private static Path trace(String message) {
        return Path.of(find("trace:     (\\S+)", message));
    }

    private static String footerHash(Path trace) throws Exception {
        List<String> lines = Files.readAllLines(trace);
        return find("\"eventLogSha256\":\"([0-9a-f]+)\"", lines.get(lines.size() - 1));
    }

    private static String find(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }
}
