package org.ndis4j.benchmarks;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queue-to-start latency of an NDIS I/O work item: from just before {@code Ndis.queueIoWorkItem}
 * until its routine starts on a CriticalWorkQueue thread. The benchmark thread queues, then spins
 * until the routine has flagged its start; the sample is that whole call. Before each sample every
 * worker is parked (idle), so each sample is an idle-worker handoff: queue, wake a parked thread,
 * dispatch. {@link #threadPoolExecutor} measures the same handoff on a bare fixed
 * {@link ThreadPoolExecutor} of the same size, in the same run, as the baseline.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WorkItemLatencyBenchmark {

    /** The routine flags its start and returns. */
    private static final IoWorkItemRoutine<NdisState> STARTED = (state, item) -> state.started = true;

    @State(Scope.Benchmark)
    public static class NdisState {
        /** CriticalWorkQueue threads of the kernel. */
        @Param({"1", "4"})
        public int workers;

        BenchMiniport.Rig rig;
        NdisIoWorkItem item;
        Thread[] workerThreads;
        volatile boolean started;

        @Setup(Level.Trial)
        public void boot() {
            rig = new BenchMiniport.Rig("lat", workers);
            item = Ndis.allocateIoWorkItem(rig.adapter);
            workerThreads = rig.criticalWorkers();
            if (workerThreads.length != workers) {
                throw new IllegalStateException("expected " + workers + " workers, found " + workerThreads.length);
            }
        }

        @Setup(Level.Invocation)
        public void idle() {
            Pools.awaitIdle(workerThreads);
            started = false;
        }

        @TearDown(Level.Trial)
        public void close() {
            Pools.awaitIdle(workerThreads);
            Ndis.freeIoWorkItem(item);
            rig.close();
        }
    }

    @State(Scope.Benchmark)
    public static class PoolState {
        @Param({"1", "4"})
        public int workers;

        ThreadPoolExecutor pool;
        Thread[] poolThreads;
        volatile boolean started;
        final Runnable task = () -> started = true;

        @Setup(Level.Trial)
        public void start() {
            pool = Pools.fixedPool("tpe-lat", workers);
            poolThreads = Pools.threadsNamed("tpe-lat-");
        }

        @Setup(Level.Invocation)
        public void idle() {
            Pools.awaitIdle(poolThreads);
            started = false;
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            Pools.shutdown(pool);
        }
    }

    @Benchmark
    public void ndisIoWorkItem(NdisState s) {
        Ndis.queueIoWorkItem(s.item, STARTED, s);
        while (!s.started) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void threadPoolExecutor(PoolState s) {
        s.pool.execute(s.task);
        while (!s.started) {
            Thread.onSpinWait();
        }
    }
}
