package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing run's trace replays: the same failure and event-log hash every time; after a change of
 * the code under test the replay reports the step where the run left the trace; a truncated trace
 * is reported.
 */
class ReplayTest {

    @TempDir
    Path traces;

    /** The lost update of a work item's read-modify-write racing a DPC; {@code extraCall} changes the code. */
    private static Callable<Object> lostUpdate(boolean extraCall) {
        return () -> {
            Kernel k = Kernel.boot(KernelConfig.defaults()
                    .withProcessors(2)
                    .withWorkers(1, 1)
                    .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
            AtomicInteger count = new AtomicInteger();
            KEvent item = k.initializeEvent(false);
            KEvent dpcRan = k.initializeEvent(false);
            k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "racy", () -> {
                if (extraCall) {
                    k.switchPoint("NdisMIndicateStatusEx");
                }
                int v = count.get();
                k.switchPoint("NdisAcquireSpinLock");
                count.set(v + 1);
                item.set();
            });
            KDpc dpc = k.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        count.incrementAndGet();
                        dpcRan.set();
                    },
                    null,
                    "racy");
            Ke.insertQueueDpc(dpc, null, null);
            k.waitFor("item", item, -1, WaitKind.WORK);
            k.waitFor("dpc", dpcRan, -1, WaitKind.WORK);
            if (count.get() != 2) {
                throw new AssertionError("lost update: count " + count.get());
            }
            k.close();
            return null;
        };
    }

    private SimulationResult run(SimulationOptions options, Callable<Object> body) {
        Simulation sim = Simulation.start(options.withTraceDirectory(traces));
        Throwable failure = null;
        try {
            sim.call(body);
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    private SimulationResult firstFailure() {
        for (long seed = 1; seed < 500; seed++) {
            SimulationResult r = run(SimulationOptions.seed("ReplayTest", seed), lostUpdate(false));
            if (!r.passed()) {
                return r;
            }
        }
        throw new AssertionError("no seed of 500 found the lost update");
    }

    @Test
    void aFailingTraceReplaysAHundredTimesOutOfAHundred() throws Exception {
        SimulationResult failed = firstFailure();
        assertThat(failed.failure()).contains("lost update: count 1");
        Path trace = Files.copy(failed.trace(), traces.resolve("failing.trace"));

        for (int i = 0; i < 100; i++) {
            SimulationResult replay =
                    run(SimulationOptions.seed("ReplayTest", 0).withReplay(trace), lostUpdate(false));
            assertThat(replay.passed()).isFalse();
            assertThat(replay.failure()).contains("lost update: count 1");
            assertThat(replay.eventLogSha256()).isEqualTo(failed.eventLogSha256());
        }
    }

    @Test
    void afterACodeChangeTheReplayReportsTheDivergingStep() throws Exception {
        SimulationResult failed = firstFailure();
        Path trace = Files.copy(failed.trace(), traces.resolve("failing.trace"));

        SimulationResult replay = run(SimulationOptions.seed("ReplayTest", 0).withReplay(trace), lostUpdate(true));

        assertThat(replay.passed()).isFalse();
        assertThat(replay.failure())
                .startsWith("Replay of " + trace + " diverged at step ")
                .contains("the trace has ")
                .contains("this run has ");
    }

    @Test
    void aTruncatedTraceIsReported() throws Exception {
        SimulationResult failed = firstFailure();
        List<String> lines = Files.readAllLines(failed.trace());
        Path cut = traces.resolve("cut.trace");
        Files.write(cut, lines.subList(0, 2));

        SimulationResult replay = run(SimulationOptions.seed("ReplayTest", 0).withReplay(cut), lostUpdate(false));

        assertThat(replay.passed()).isFalse();
        assertThat(replay.failure()).contains("diverged").contains("truncated");
    }
}
