package org.ndis4j.benchmarks;

import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end work items per second: one invocation queues a batch of {@value #BATCH} distinct
 * work items (an item may not be queued again before its routine started) and parks until all
 * {@value #BATCH} routines ran; the last routine unparks it. Scores are per item.
 * {@link #threadPoolExecutor} does the same with a bare fixed {@link ThreadPoolExecutor} of the
 * same size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WorkItemThroughputBenchmark {

    static final int BATCH = 1000;

    /** Counts the batch down; the last one wakes the queuing thread. */
    abstract static class Batch {
        final AtomicInteger remaining = new AtomicInteger();
        volatile Thread waiter;

        final void ran() {
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }

        final void await() {
            while (remaining.get() != 0) {
                LockSupport.park(this);
            }
        }

        final void begin() {
            waiter = Thread.currentThread();
            remaining.set(BATCH);
        }
    }

    private static final IoWorkItemRoutine<NdisState> RAN = (state, item) -> state.ran();

    @State(Scope.Benchmark)
    public static class NdisState extends Batch {
        @Param({"1", "4"})
        public int workers;

        BenchMiniport.Rig rig;
        final NdisIoWorkItem[] items = new NdisIoWorkItem[BATCH];

        @Setup(Level.Trial)
        public void boot() {
            rig = new BenchMiniport.Rig("tput", workers);
            for (int i = 0; i < BATCH; i++) {
                items[i] = Ndis.allocateIoWorkItem(rig.adapter);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            Pools.awaitIdle(rig.criticalWorkers());
            for (NdisIoWorkItem item : items) {
                Ndis.freeIoWorkItem(item);
            }
            rig.close();
        }
    }

    @State(Scope.Benchmark)
    public static class PoolState extends Batch {
        @Param({"1", "4"})
        public int workers;

        ThreadPoolExecutor pool;
        final Runnable task = this::ran;

        @Setup(Level.Trial)
        public void start() {
            pool = Pools.fixedPool("tpe-tput", workers);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            Pools.shutdown(pool);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ndisIoWorkItem(NdisState s) {
        s.begin();
        NdisIoWorkItem[] items = s.items;
        for (NdisIoWorkItem item : items) {
            Ndis.queueIoWorkItem(item, RAN, s);
        }
        s.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolExecutor(PoolState s) {
        s.begin();
        ThreadPoolExecutor pool = s.pool;
        Runnable task = s.task;
        for (int i = 0; i < BATCH; i++) {
            pool.execute(task);
        }
        s.await();
    }
}
