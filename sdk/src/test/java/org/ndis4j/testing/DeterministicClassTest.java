package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.KitRuns.onlyFailure;
import static org.ndis4j.testing.KitRuns.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;

/**
 * The class form of {@link DeterministicTest} through JUnit's engine (its class templates): every
 * test of the class, inherited ones too, runs once per iteration, each in a run of its own on a
 * deterministic kernel with the iteration's seed; the iterations stop after the first failing one.
 */
class DeterministicClassTest {

    /** A threaded test class, as a driver writer has it. */
    @ExtendWith(KernelExtension.class)
    @KernelOptions(processors = 1, criticalWorkers = 1, delayedWorkers = 1)
    static class Threaded {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();
        Kernel kernel;

        @BeforeEach
        void boot(Kernel kernel) {
            this.kernel = kernel;
        }

        @Test
        void aWorkItemRuns() {
            KEvent done = kernel.initializeEvent(false);
            kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "item", done::set);
            assertThat(kernel.waitFor("the work item", done, -1, WaitKind.WORK)).isTrue();
            SEEN.add("aWorkItemRuns " + where());
        }

        @Test
        void theKernelIsFresh(Kernel second) {
            assertThat(second).isNotSameAs(kernel);
            SEEN.add("theKernelIsFresh " + where());
        }

        String where() {
            return kernel.config().scheduling() + " " + Simulation.current().isPresent();
        }
    }

    @DeterministicTest(iterations = 3, seed = "0x2a")
    static class UnderTheScheduler extends Threaded {}

    @DeterministicTest(iterations = 50, seed = "0x15")
    @ExtendWith(KernelExtension.class)
    @KernelOptions(processors = 2, criticalWorkers = 1, delayedWorkers = 1)
    static class LostUpdate {
        static final List<String> RUNS = new CopyOnWriteArrayList<>();

        @Test
        void countsBoth(Kernel kernel) {
            RUNS.add("countsBoth");
            DeterministicTestTest.lostUpdate(kernel);
        }

        @Test
        void passes() {
            RUNS.add("passes");
        }
    }

    @Test
    void everyTestOfTheClassRunsOncePerIterationOnADeterministicKernel() {
        Threaded.SEEN.clear();
        EngineExecutionResults results = run(UnderTheScheduler.class);

        results.testEvents().assertStatistics(s -> s.started(6).succeeded(6).failed(0));
        assertThat(Threaded.SEEN).hasSize(6).allSatisfy(s -> assertThat(s).endsWith("DETERMINISTIC true"));
        assertThat(results.containerEvents()
                        .started()
                        .map(e -> e.getTestDescriptor().getDisplayName())
                        .toList())
                .contains("[1] seed 0x2a", "[2] seed " + Simulation.seedText(Simulation.iterationSeed(0x2a, 1)));
    }

    @Test
    void theThreadedClassItselfStaysThreaded() {
        Threaded.SEEN.clear();
        run(Threaded.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(Threaded.SEEN).allSatisfy(s -> assertThat(s).endsWith("THREADED false"));
    }

    @Test
    void theIterationsStopAfterTheFirstFailingOneWhichNamesItsSeedAndTrace() {
        LostUpdate.RUNS.clear();
        Throwable failure = onlyFailure(run(LostUpdate.class));

        assertThat(failure.getMessage())
                .startsWith("DeterministicTest failed in iteration ")
                .contains("master seed 0x15")
                .contains("increments")
                .contains("LostUpdate.countsBoth")
                .contains("-Dndis4j.det.replay=");
        int iteration = Integer.parseInt(failure.getMessage().replaceAll("(?s).*in iteration (\\d+) of 50.*", "$1"));
        assertThat(LostUpdate.RUNS.stream().filter("countsBoth"::equals).count())
                .as("iterations run")
                .isEqualTo(iteration);
        assertThat(iteration).isLessThan(50);
    }
}
