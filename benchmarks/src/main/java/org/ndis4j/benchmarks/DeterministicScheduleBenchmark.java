package org.ndis4j.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.DpcRoutine;
import org.ndis4j.kernel.Exploration;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Schedules per second of the deterministic scheduler: one operation is one whole run (a fresh
 * world, a kernel with 2 processors and 2+1 workers booted and closed) in which the test context
 * queues 4 work items and 2 DPCs that each make 30 scheduling points (an NDIS call each), and waits
 * for them — 7 contexts (T, CLK, 2 processors, 3 workers) and about 200 steps, a new seed each time. {@code strategy} is a token
 * ("random", "pct(d=2)", "probabilistic(b=3)"); PCT learns k from the runs before, as a test's
 * iterations do. Run: {@code java -jar benchmarks/target/benchmarks.jar DeterministicSchedule}; the
 * per-CPU-second figure comes from {@link DetBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DeterministicScheduleBenchmark {

    private static final int POINTS = 30;
    private static final KernelConfig MACHINE = KernelConfig.defaults()
            .withName("det-bench")
            .withProcessors(2)
            .withWorkers(2, 1)
            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC);

    @Param({"random", "pct(d=2)", "probabilistic(b=3)"})
    public String strategy;

    private Exploration exploration;
    private long seed;

    @Setup
    public void parse() {
        exploration = Exploration.parse(strategy);
    }

    @Benchmark
    public long schedule() throws Exception {
        SimulationResult r = run(exploration, ++seed);
        exploration = exploration.learnedFrom(r);
        return r.steps();
    }

    /** One whole run of the scenario with {@code strategy} and {@code seed}; throws if it failed. */
    static SimulationResult run(Exploration strategy, long seed) {
        Simulation sim = Simulation.start(
                SimulationOptions.seed("DeterministicScheduleBenchmark", seed).withStrategy(strategy));
        Throwable failure = null;
        try {
            sim.call(DeterministicScheduleBenchmark::scenario);
        } catch (Throwable t) {
            failure = t;
        }
        SimulationResult r = sim.finish(failure);
        if (!r.passed()) {
            throw new IllegalStateException(r.failure());
        }
        return r;
    }

    private static Object scenario() {
        Kernel k = Kernel.boot(MACHINE);
        AtomicInteger left = new AtomicInteger(6);
        KEvent done = k.initializeEvent(false);
        Runnable body = () -> {
            for (int i = 0; i < POINTS; i++) {
                k.switchPoint("NdisAcquireSpinLock");
            }
            if (left.decrementAndGet() == 0) {
                done.set();
            }
        };
        for (int i = 0; i < 4; i++) {
            k.queueWorkItem(WorkQueueType.CriticalWorkQueue, "bench", body);
        }
        DpcRoutine<Object> dpc = (KDpc d, Object c, Object a1, Object a2) -> body.run();
        for (int i = 0; i < 2; i++) {
            Ke.insertQueueDpc(k.initializeDpc(dpc, null, "bench"), null, null);
        }
        k.waitFor("the work items and DPCs", done, -1, WaitKind.WORK);
        k.close();
        return null;
    }
}
