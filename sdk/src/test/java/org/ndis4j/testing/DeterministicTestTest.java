package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.KitRuns.onlyFailure;
import static org.ndis4j.testing.KitRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;

/**
 * {@link DeterministicTest} through JUnit's engine: iterations with derived seeds, the first failing
 * iteration ends the test with its seed, trace and replay command, and a replay of that trace fails
 * the same way.
 */
class DeterministicTestTest {

    /** A work item's read-modify-write with an NDIS call in between, racing a DPC's increment. */
    static void lostUpdate(Kernel kernel) {
        AtomicInteger count = new AtomicInteger();
        KEvent itemDone = kernel.initializeEvent(false);
        KEvent dpcDone = kernel.initializeEvent(false);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "racy", () -> {
            int v = count.get();
            kernel.switchPoint("NdisAcquireSpinLock"); // an NDIS call between the read and the write
            count.set(v + 1);
            itemDone.set();
        });
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    count.incrementAndGet();
                    dpcDone.set();
                },
                null,
                "racy");
        kernel.insertQueueDpc(dpc, null, null);
        kernel.waitFor("the work item", itemDone, -1, WaitKind.WORK);
        kernel.waitFor("the DPC", dpcDone, -1, WaitKind.WORK);
        assertThat(count.get()).as("increments").isEqualTo(2);
    }

    static class LostUpdate {
        static final AtomicInteger RUNS = new AtomicInteger();

        @DeterministicTest(iterations = 500, seed = "0x15")
        @KernelOptions(processors = 2, criticalWorkers = 1, delayedWorkers = 1)
        void countsBoth(Kernel kernel) {
            RUNS.incrementAndGet();
            lostUpdate(kernel);
        }
    }

    static class Clean {
        static final AtomicInteger RUNS = new AtomicInteger();

        @DeterministicTest(iterations = 7, seed = "0x2a")
        @KernelOptions(processors = 1, criticalWorkers = 2, delayedWorkers = 1)
        void workItemSetsTheEvent(Kernel kernel) {
            RUNS.incrementAndGet();
            KEvent done = kernel.initializeEvent(false);
            kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "clean", done::set);
            assertThat(kernel.waitFor("the work item", done, -1, WaitKind.WORK)).isTrue();
        }
    }

    @Test
    void everyIterationOfAPassingTestRunsWithItsOwnSeed() {
        Clean.RUNS.set(0);
        EngineExecutionResults results = run(Clean.class);

        results.testEvents().assertStatistics(s -> s.started(7).succeeded(7).failed(0));
        assertThat(Clean.RUNS.get()).isEqualTo(7);
        assertThat(results.testEvents()
                        .started()
                        .list()
                        .get(0)
                        .getTestDescriptor()
                        .getDisplayName())
                .isEqualTo("[1] seed 0x2a");
    }

    @Test
    void theFirstFailingIterationEndsTheTestWithItsSeedTraceAndReplayCommand() throws Exception {
        LostUpdate.RUNS.set(0);
        Throwable failure = onlyFailure(run(LostUpdate.class));

        String message = failure.getMessage();
        assertThat(message)
                .startsWith("DeterministicTest failed in iteration ")
                .contains("master seed 0x15")
                .contains("increments")
                .contains("trace:     ")
                .contains("replay:    ./mvnw -q -pl ")
                .contains("-Dndis4j.det.replay=");
        int iteration = Integer.parseInt(find("in iteration (\\d+) of 500", message));
        assertThat(LostUpdate.RUNS.get()).as("iterations run").isEqualTo(iteration);
        Path trace = Path.of(find("trace:     (\\S+)", message));
        assertThat(Files.readAllLines(trace).get(0))
                .contains("\"type\":\"header\"")
                .contains("\"masterSeed\":\"0x15\"");

        System.setProperty(DeterministicRuns.REPLAY, trace.toString());
        Throwable replayed;
        try {
            replayed = onlyFailure(run(LostUpdate.class));
        } finally {
            System.clearProperty(DeterministicRuns.REPLAY);
        }
        assertThat(replayed.getMessage())
                .startsWith("DeterministicTest failed replaying " + trace)
                .contains("increments")
                .doesNotContain("diverged")
                .doesNotContain("different outcome");
    }

    private static String find(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }
}
