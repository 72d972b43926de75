package org.ndis4j.kernel.internal.controlled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;

/**
 * Context threads are pooled: runs after the first take their threads from the pool instead of
 * starting new ones, and a run that reuses threads is the same run as with fresh ones.
 */
class ContextThreadPoolTest {

    @Test
    void laterRunsReuseThePooledThreads() {
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(Runs.run(
                                    SimulationOptions.seed("pool", seed),
                                    Runs.workItemsAndDpcs(new ArrayList<>(), 3, false))
                            .passed())
                    .isTrue();
        }
        int before = ContextThread.created();
        for (long seed = 4; seed <= 53; seed++) {
            SimulationResult r =
                    Runs.run(SimulationOptions.seed("pool", seed), Runs.workItemsAndDpcs(new ArrayList<>(), 3, false));
            assertThat(r.passed()).as(r.failure()).isTrue();
        }
        assertThat(ContextThread.created() - before)
                .as("threads started by 50 runs of 7 contexts each")
                .isZero();
    }

    @Test
    void aRunOnReusedThreadsIsTheSameRun() {
        List<String> first = new ArrayList<>();
        SimulationResult a = Runs.run(SimulationOptions.seed("pool", 99), Runs.workItemsAndDpcs(first, 5, false));
        for (long seed = 1; seed <= 5; seed++) {
            Runs.run(SimulationOptions.seed("pool", seed), Runs.workItemsAndDpcs(new ArrayList<>(), 5, false));
        }
        List<String> again = new ArrayList<>();
        SimulationResult b = Runs.run(SimulationOptions.seed("pool", 99), Runs.workItemsAndDpcs(again, 5, false));
        assertThat(again).isEqualTo(first);
        assertThat(b.eventLogSha256()).isEqualTo(a.eventLogSha256());
    }
}
