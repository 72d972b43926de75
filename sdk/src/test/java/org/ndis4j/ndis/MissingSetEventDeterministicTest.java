package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A driver whose halt waits for its work item with a check-then-act and no lock: the work item can
 * miss NdisSetEvent. Under the deterministic scheduler some seeds hang halt, and the run reports a
 * deadlock naming the context in NdisWaitEvent; other seeds pass. The threaded kernel almost never
 * hits it.
 */
class MissingSetEventDeterministicTest {

    /** The adapter's state the halt and the work item share (plain fields: the race). */
    static final class Racy {
        volatile boolean busy;
        volatile boolean stopping;
        NdisEvent idle;
    }

    private static SimulationResult run(long seed) {
        Simulation sim = Simulation.start(SimulationOptions.seed("MissingSetEvent", seed));
        Throwable failure = null;
        try {
            sim.call(() -> {
                Kernel kernel = Kernel.boot(KernelConfig.defaults()
                        .withName("missing-set")
                        .withProcessors(1)
                        .withWorkers(1, 1)
                        .withScheduling(KernelConfig.Scheduling.DETERMINISTIC));
                Racy racy = new Racy();
                TestMiniport miniport = new TestMiniport();
                miniport.onInitialize = adapter -> {
                    racy.idle = Ndis.initializeEvent();
                    return NdisStatus.SUCCESS;
                };
                miniport.onHalt = adapter -> {
                    racy.stopping = true;
                    if (racy.busy) {
                        Ndis.waitEvent(racy.idle, 0); // forever: the work item is to set it
                    }
                };
                PnpManager pnp = PnpManager.of(kernel);
                NdisMiniportAdapterHandle adapter =
                        pnp.addDevice(miniport.load(kernel, "missing-set"), TestMiniport.trivialDevice("dev0"));
                NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
                Ndis.queueIoWorkItem(
                        item,
                        (Racy r, NdisIoWorkItem self) -> {
                            r.busy = true;
                            if (r.stopping) { // checked too early: halt may set it right after
                                Ndis.setEvent(r.idle);
                            }
                            Ndis.freeIoWorkItem(self);
                            r.busy = false;
                        },
                        racy);
                pnp.removeDevice(adapter);
                kernel.close();
                return null;
            });
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    @Test
    void aMissingNdisSetEventIsADeadlockThatNamesTheWaiter() {
        List<SimulationResult> hung = new ArrayList<>();
        int passed = 0;
        for (long seed = 1; seed <= 40; seed++) {
            SimulationResult r = run(seed);
            if (r.passed()) {
                passed++;
            } else {
                hung.add(r);
            }
        }
        assertThat(hung).as("seeds of 40 where halt hangs").isNotEmpty();
        assertThat(passed).as("seeds of 40 where the driver got away with it").isPositive();
        String report = hung.get(0).failure();
        assertThat(report)
                .startsWith("DEADLOCK at t=")
                .containsPattern("K1/D0 +PASSIVE +driver missing-set waits for NdisWaitEvent on EV#\\d+")
                .contains("MissingSetEventDeterministicTest")
                .contains("T ");
        assertThat(run(hung.get(0).seed()).failure())
                .as("the same seed hangs again")
                .isEqualTo(report);
    }
}
