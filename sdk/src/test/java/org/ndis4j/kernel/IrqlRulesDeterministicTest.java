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

    @Test
    void dispatchAtomicGranularityRunsDpcsToCompletion() throws Exception {
        for (long seed = 1; seed <= 100; seed++) {
            Simulation sim = Simulation.start(
                    SimulationOptions.seed("dispatch atomic", seed).withGranularity(Granularity.DISPATCH_ATOMIC));
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
            assertThat(observed.get())
                    .as("seed " + seed + ": a DPC was seen half-way")
                    .isFalse();
        }
    }

    /** An ISR queued while a DPC is half-way preempts it at one of its points, in some schedule. */
    @Test
    void anInterruptPreemptsADpcOnlyAtItsSchedulingPoints() throws Exception {
        int nested = 0;
        for (long seed = 1; seed <= 100; seed++) {
            Simulation sim = Simulation.start(SimulationOptions.seed("isr preempts", seed));
            AtomicBoolean isrInsideDpc = new AtomicBoolean();
            AtomicBoolean isrRan = new AtomicBoolean();
            try {
                sim.call(() -> {
                    Kernel k = Kernel.boot(KernelConfig.defaults()
                            .withProcessors(1)
                            .withWorkers(1, 1)
                            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
                    AtomicBoolean dpcHalfWay = new AtomicBoolean();
                    KEvent done = k.initializeEvent(false);
                    ProcessorTask isr = new ProcessorTask() {
                        @Override
                        public Irql irql() {
                            return Irql.DIRQL;
                        }

                        @Override
                        public String driver() {
                            return "isr";
                        }

                        @Override
                        public void run() {
                            isrInsideDpc.set(dpcHalfWay.get());
                            assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.DIRQL);
                            isrRan.set(true);
                        }
                    };
                    KDpc dpc = k.initializeDpc(
                            (KDpc d, Object c, Object a1, Object a2) -> {
                                dpcHalfWay.set(true);
                                k.runOnProcessor(0, isr); // the device interrupts while the DPC runs
                                for (int i = 0; i < 3; i++) {
                                    k.switchPoint("NdisDprAcquireSpinLock");
                                }
                                dpcHalfWay.set(false);
                                assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.DISPATCH_LEVEL);
                                done.set();
                            },
                            null,
                            "dpc");
                    Ke.insertQueueDpc(dpc, null, null);
                    k.waitFor("the DPC", done, -1, WaitKind.WORK);
                    k.close();
                    return null;
                });
            } finally {
                SimulationResult r = sim.finish(null);
                assertThat(r.passed()).as(r.failure()).isTrue();
            }
            assertThat(isrRan.get()).isTrue();
            if (isrInsideDpc.get()) {
                nested++;
            }
        }
        assertThat(nested)
                .as("schedules of 100 where the ISR ran nested in the DPC")
                .isBetween(1, 99);
    }
}
