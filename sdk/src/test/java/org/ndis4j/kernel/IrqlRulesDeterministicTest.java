package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ndis4j.testing.DeterministicTest;
import org.ndis4j.testing.KernelOptions;

/**
 * The enabled set keeps Windows' IRQL rules: on one processor a PASSIVE_LEVEL context never runs
 * while a DPC is half-way (switched out at one of its NDIS calls); on two processors it does, in
 * some schedule — so the first test can fail.
 */
class IrqlRulesDeterministicTest {

    /**
     * A work item makes NDIS calls in a loop and looks, at each, whether a DPC is half-way; the test
     * thread queues DPCs that make NDIS calls of their own. Returns true when the work item saw one.
     */
    static boolean passiveRanInsideADpc(Kernel kernel) {
        AtomicBoolean dpcHalfWay = new AtomicBoolean();
        AtomicBoolean seen = new AtomicBoolean();
        AtomicInteger dpcsRun = new AtomicInteger();
        KEvent itemDone = kernel.initializeEvent(false);
        KEvent dpcsDone = kernel.initializeEvent(false);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "passive", () -> {
            for (int i = 0; i < 8; i++) {
                kernel.switchPoint("NdisGetCurrentSystemTime");
                if (dpcHalfWay.get()) {
                    seen.set(true);
                }
            }
            itemDone.set();
        });
        DpcRoutine<Object> routine = (KDpc d, Object c, Object a1, Object a2) -> {
            dpcHalfWay.set(true);
            kernel.switchPoint("NdisDprAcquireSpinLock");
            kernel.switchPoint("NdisDprReleaseSpinLock");
            dpcHalfWay.set(false);
            if (dpcsRun.incrementAndGet() == 3) {
                dpcsDone.set();
            }
        };
        for (int i = 0; i < 3; i++) {
            // One DPC object each: inserting a DPC that is still queued would do nothing.
            Ke.insertQueueDpc(kernel.initializeDpc(routine, null, "dispatch"), null, null);
            kernel.waitFor("a DPC to run", dpcsDone, 0, WaitKind.WORK); // a point between insertions
            kernel.switchPoint("NdisMSynchronizeWithInterruptEx");
        }
        kernel.waitFor("the DPCs", dpcsDone, -1, WaitKind.WORK);
        kernel.waitFor("the work item", itemDone, -1, WaitKind.WORK);
        return seen.get();
    }

    @DeterministicTest(iterations = 300, seed = "0x1e")
    @KernelOptions(processors = 1, criticalWorkers = 1, delayedWorkers = 1)
    void onOneProcessorPassiveCodeNeverRunsInsideADpc(Kernel kernel) {
        assertThat(passiveRanInsideADpc(kernel))
                .as("the work item ran while a DPC was half-way")
                .isFalse();
    }

    @Test
    void onTwoProcessorsItDoesInSomeSchedule() throws Exception {
        int seen = 0;
        for (long seed = 1; seed <= 200; seed++) {
            Simulation sim = Simulation.start(SimulationOptions.seed("two processors", seed));
            AtomicBoolean observed = new AtomicBoolean();
            try {
                sim.call(() -> {
                    Kernel k = Kernel.boot(KernelConfig.defaults()
                            .withProcessors(2)
                            .withWorkers(1, 1)
                            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
                    observed.set(passiveRanInsideADpc(k));
                    k.close();
                    return null;
                });
            } finally {
                SimulationResult r = sim.finish(null);
                assertThat(r.passed()).as(r.failure()).isTrue();
            }
            if (observed.get()) {
                seen++;
            }
        }
        assertThat(seen)
                .as("schedules of 200 where PASSIVE code ran beside a half-way DPC")
                .isPositive();
    }
}
