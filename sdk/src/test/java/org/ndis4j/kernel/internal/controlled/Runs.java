package org.ndis4j.kernel.internal.controlled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;

/** Deterministic runs of small kernel scenarios, for the strategy and fault tests. */
final class Runs {

    static final KernelConfig TWO_CPUS = KernelConfig.defaults()
            .withName("strategy")
            .withProcessors(2)
            .withWorkers(2, 1)
            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC);

    private Runs() {}

    /** Runs {@code body} in a fresh run with {@code options}; returns the result. */
    static SimulationResult run(SimulationOptions options, Callable<Object> body) {
        Simulation sim = Simulation.start(options);
        Throwable failure = null;
        try {
            sim.call(body);
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    /**
     * Two work items and two DPCs that each append to {@code order} around {@code points} NDIS calls,
     * then signal; the test context waits for all four. Ends by throwing when {@code failAtEnd}, so
     * that the run's trace is written.
     */
    static Callable<Object> workItemsAndDpcs(List<String> order, int points, boolean failAtEnd) {
        return () -> {
            Kernel k = Kernel.boot(TWO_CPUS);
            KEvent[] done = new KEvent[4];
            for (int i = 0; i < done.length; i++) {
                done[i] = k.initializeEvent(false);
            }
            for (int i = 0; i < 2; i++) {
                int n = i;
                k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "drv", () -> {
                    for (int p = 0; p < points; p++) {
                        order.add("W" + n + "." + p);
                        k.switchPoint("NdisAcquireSpinLock");
                    }
                    done[n].set();
                });
            }
            for (int i = 2; i < 4; i++) {
                int n = i;
                KDpc dpc = k.initializeDpc(
                        (KDpc d, Object ctx, Object a1, Object a2) -> {
                            for (int p = 0; p < points; p++) {
                                order.add("D" + n + "." + p);
                                k.switchPoint("NdisDprAcquireSpinLock");
                            }
                            done[n].set();
                        },
                        null,
                        "drv");
                k.insertQueueDpc(dpc, null, null);
            }
            for (KEvent e : done) {
                k.waitFor("a routine", e, -1, WaitKind.WORK);
            }
            k.close();
            if (failAtEnd) {
                throw new AssertionError("failing on purpose, for the trace");
            }
            return null;
        };
    }

    /** The trace's lines of {@code type} ("step", "choice", "note"). */
    static List<String> traceLines(SimulationResult r, String type) throws Exception {
        Path trace = r.tracePath().orElseThrow(() -> new AssertionError("no trace written: " + r));
        return Files.readAllLines(trace).stream()
                .filter(l -> l.contains("\"type\":\"" + type + "\""))
                .toList();
    }
}
