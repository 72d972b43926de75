package org.ndis4j.kernel.internal.controlled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;

/**
 * A work item that spins on a flag through NDIS calls, and the test context sets the flag: under PCT the
 * spinner, when on top, would run forever; the fair fallback hands over to the random walk and the
 * run ends. Without the fallback the same seeds livelock (the test can fail).
 */
class FairFallbackTest {

    private static Callable<Object> spinUntilFlagged(boolean failAtEnd) {
        return () -> {
            Kernel k = Kernel.boot(Runs.TWO_CPUS);
            AtomicBoolean flag = new AtomicBoolean();
            KEvent spun = k.initializeEvent(false);
            k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "spinner", () -> {
                while (!flag.get()) {
                    k.switchPoint("NdisAcquireSpinLock"); // polls the flag under its lock
                    k.switchPoint("NdisReleaseSpinLock");
                }
                spun.set();
            });
            k.switchPoint("NdisAcquireSpinLock"); // the test context sets the flag under the lock
            flag.set(true);
            k.switchPoint("NdisReleaseSpinLock");
            k.waitFor("the spinner", spun, -1, WaitKind.WORK);
            k.close();
            if (failAtEnd) {
                throw new AssertionError("failing on purpose, for the trace");
            }
            return null;
        };
    }

    @Test
    void aSpinLoopThatPollsAFlagTerminatesUnderPct() {
        int fellBack = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimulationResult r = Runs.run(
                    SimulationOptions.seed("FairFallbackTest", seed).withStrategy(Exploration.pct(2)),
                    spinUntilFlagged(false));
            assertThat(r.passed()).as("seed %d: %s", seed, r.failure()).isTrue();
            if (r.fairFallback()) {
                fellBack++;
                assertThat(r.choiceSteps()).isGreaterThan(1_000);
            }
        }
        assertThat(fellBack).as("seeds where the spinner was on top").isBetween(1, 19);
    }

    @Test
    void withoutTheFallbackTheSameSpinLivelocks() {
        int livelocks = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimulationResult r = Runs.run(
                    SimulationOptions.seed("FairFallbackTest", seed)
                            .withStrategy(Exploration.pct(2).withFairAfter(Long.MAX_VALUE))
                            .withMaxSteps(20_000),
                    spinUntilFlagged(false));
            if (!r.passed()) {
                assertThat(r.failure()).contains("more than 20000 steps");
                livelocks++;
            }
        }
        assertThat(livelocks).isPositive();
    }

    @Test
    void theTakeOverIsANoteInTheTraceAndReplays(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            SimulationOptions o = SimulationOptions.seed("FairFallbackTest", seed)
                    .withStrategy(Exploration.pct(2).withFairAfter(50))
                    .withTraceDirectory(dir);
            SimulationResult r = Runs.run(o, spinUntilFlagged(true));
            if (!r.fairFallback()) {
                continue;
            }
            assertThat(Runs.traceLines(r, "note"))
                    .singleElement()
                    .asString()
                    .contains("\"c\":51")
                    .contains("fair fallback: 50 choice steps passed");
            SimulationResult replay =
                    Runs.run(o.withReplay(r.trace()).withTraceDirectory(dir.resolve("replay")), spinUntilFlagged(true));
            assertThat(replay.failure()).isEqualTo(r.failure()).doesNotContain("diverged");
            assertThat(replay.eventLogSha256()).isEqualTo(r.eventLogSha256());
            return;
        }
        throw new AssertionError("no seed of 1..20 put the spinner on top");
    }
}
