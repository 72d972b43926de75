package org.ndis4j.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ndis4j.host.PnpManager;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.hw.HostMemory;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The simulated kernel's two hand-offs, timed one at a time on a booted kernel with a miniport
 * loaded, as the JMH benchmarks of the same names do:
 *
 * <pre>
 * work item:      NdisQueueIoWorkItem ──► routine starts on an idle CriticalWorkQueue thread (PASSIVE)
 *                 reference: ThreadPoolExecutor.execute ──► task starts on its idle thread
 * interrupt→DPC:  InterruptLine.raise ──► MiniportInterrupt (DIRQL) ──► MiniportInterruptDPC starts
 * </pre>
 *
 * Every sample waits until the thread that will run it is parked, so each is an idle hand-off. The
 * interrupt's kernel boots with interrupts on the raising thread off: by default the benchmark
 * thread, raising while the processor is idle, would run the ISR and the DPC itself (docs/kernel.md),
 * and this would time a call, not the hand-off to the processor's thread.
 */
final class KernelLatency {

    private KernelLatency() {}

    /** Queue-to-start of an NDIS I/O work item, and of a bare one-thread executor beside it. */
    static final class WorkItem implements Benchmark {
        @Override
        public String name() {
            return "work-item";
        }

        @Override
        public String description() {
            return "NDIS I/O work item, queue to routine start (1 worker)";
        }

        @Override
        public long work(BenchSettings s) {
            return 2L * s.runs() * s.samples();
        }

        @Override
        public List<Result> run(BenchSettings s, Progress progress) {
            List<long[]> ndis = new ArrayList<>();
            List<long[]> executor = new ArrayList<>();
            try (Rig rig = new Rig("bench-wi", 1, true)) {
                NdisIoWorkItem item = Ndis.allocateIoWorkItem(rig.adapter);
                Thread[] workers = rig.threadsNamed(rig.kernel.name() + "-CriticalWorkQueue-");
                ThreadPoolExecutor pool =
                        new ThreadPoolExecutor(1, 1, 1, TimeUnit.HOURS, new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, "bench-executor");
                            t.setDaemon(true);
                            return t;
                        });
                pool.prestartAllCoreThreads();
                Thread[] poolThreads = rig.threadsNamed("bench-executor");
                Flag flag = new Flag();
                Runnable task = () -> flag.up = true;
                IoWorkItemRoutine<Flag> routine = (f, workItem) -> f.up = true;
                try {
                    for (int run = 1; run <= s.runs(); run++) {
                        progress.phase("work item, run " + run);
                        ndis.add(sample(
                                s.samples(), progress, workers, flag, () -> Ndis.queueIoWorkItem(item, routine, flag)));
                        progress.phase("executor, run " + run);
                        executor.add(sample(s.samples(), progress, poolThreads, flag, () -> pool.execute(task)));
                    }
                } finally {
                    awaitIdle(workers);
                    Ndis.freeIoWorkItem(item);
                    pool.shutdownNow();
                }
            }
            return List.of(
                    latency(name(), "NDIS work item", ndis, executor),
                    latency(name(), "ThreadPoolExecutor", executor, null));
        }
    }

    /** Raise of the interrupt line to the start of MiniportInterruptDPC. */
    static final class InterruptToDpc implements Benchmark {
        @Override
        public String name() {
            return "interrupt-dpc";
        }

        @Override
        public String description() {
            return "interrupt raised to MiniportInterruptDPC start on the processor's thread";
        }

        @Override
        public long work(BenchSettings s) {
            return (long) s.runs() * s.samples();
        }

        @Override
        public List<Result> run(BenchSettings s, Progress progress) {
            List<long[]> runs = new ArrayList<>();
            try (Rig rig = new Rig("bench-irq", 1, false)) {
                LatencyMiniport m = rig.miniport;
                for (int run = 1; run <= s.runs(); run++) {
                    progress.phase("interrupt to DPC, run " + run);
                    long[] samples = new long[s.samples()];
                    for (int i = 0; i < samples.length; i++) {
                        long before = m.dpcStarted;
                        while (m.dpcFinished != before) {
                            Thread.onSpinWait(); // the previous DPC's last instructions
                        }
                        m.cause.assertCause();
                        long start = System.nanoTime();
                        rig.line.raise();
                        while (m.dpcStarted == before) {
                            Thread.onSpinWait();
                        }
                        samples[i] = System.nanoTime() - start;
                        if ((i & 1023) == 1023) {
                            progress.step(1024);
                        }
                    }
                    progress.step(samples.length & 1023);
                    runs.add(samples);
                }
            }
            return List.of(latency(name(), "NDIS interrupt → DPC", runs, null));
        }
    }

    private static final class Flag {
        volatile boolean up;
    }

    /** Samples one idle hand-off at a time: wait until {@code threads} are parked, start, spin for the flag. */
    private static long[] sample(int count, Progress progress, Thread[] threads, Flag flag, Runnable start) {
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            awaitIdle(threads);
            flag.up = false;
            long t0 = System.nanoTime();
            start.run();
            while (!flag.up) {
                Thread.onSpinWait();
            }
            samples[i] = System.nanoTime() - t0;
            if ((i & 1023) == 1023) {
                progress.step(1024);
            }
        }
        progress.step(count & 1023);
        return samples;
    }

    /** Until every thread is parked (or timed-waiting): it is idle. */
    private static void awaitIdle(Thread[] threads) {
        for (Thread t : threads) {
            Thread.State st;
            while ((st = t.getState()) != Thread.State.WAITING && st != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
        }
    }

    /** p50 per run (median of those), and p99 of the median run, in µs; the ratio to a reference's p50. */
    private static Result latency(String benchmark, String subject, List<long[]> runs, List<long[]> reference) {
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (long[] r : runs) {
            long[] sorted = Samples.sorted(r);
            p50.add(Samples.percentile(sorted, 50) / 1000.0);
            p99.add(Samples.percentile(sorted, 99) / 1000.0);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("samplesPerRun", runs.get(0).length);
        details.put("medianP99Micros", Samples.median(p99));
        if (reference != null) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(runs.size(), reference.size()); i++) {
                ratios.add((double) Samples.percentile(Samples.sorted(runs.get(i)), 50)
                        / Samples.percentile(Samples.sorted(reference.get(i)), 50));
            }
            details.put("p50RatioToThreadPoolExecutor", Samples.median(ratios));
        }
        return Result.of(benchmark, subject, "p50 latency", "µs", p50, details);
    }

    /** A booted kernel with {@link LatencyMiniport} loaded on one device. */
    private static final class Rig implements AutoCloseable {
        final Kernel kernel;
        final InterruptLine line;
        final LatencyMiniport miniport = new LatencyMiniport();
        final NdisMiniportAdapterHandle adapter;

        Rig(String name, int criticalWorkers, boolean interruptsOnRaisingThread) {
            kernel = Kernel.boot(KernelConfig.defaults()
                    .withName(name)
                    .withWorkers(criticalWorkers, 1)
                    .withInterruptsOnRaisingThread(interruptsOnRaisingThread));
            line = new InterruptLine(name + "-dev0");
            DriverObject driver = PnpManager.of(kernel).loadDriver("latency", (driverObject, registryPath) -> {
                NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
                return NdisStatus.SUCCESS;
            });
            adapter = PnpManager.of(kernel)
                    .addDevice(
                            driver, new DeviceResources(name + "-dev0", miniport.cause, new HostMemory(1 << 20), line));
        }

        Thread[] threadsNamed(String prefix) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (; ; ) {
                Thread[] found = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith(prefix))
                        .toArray(Thread[]::new);
                if (found.length > 0 || System.nanoTime() - deadline > 0) {
                    return found;
                }
                LockSupport.parkNanos(1_000_000); // the pool is starting its thread
            }
        }

        @Override
        public void close() {
            kernel.close(); // halts the adapter, which deregisters the interrupt
        }
    }

    /** A cause register: reading it returns and clears what the device asserted. */
    private static final class CauseRegister implements RegisterSpace {
        private volatile int cause;

        void assertCause() {
            cause = 1;
        }

        @Override
        public int length() {
            return 4;
        }

        @Override
        public int read32(int offset) {
            int c = cause;
            cause = 0;
            return c;
        }

        @Override
        public void write32(int offset, int value) {}
    }

    /** The smallest interrupt-driven miniport: its ISR reads the cause, its DPC counts. */
    private static final class LatencyMiniport
            implements MiniportDriver<LatencyMiniport>, InterruptHandlers<LatencyMiniport> {
        private static final byte[] MAC = {2, 0, 0, 0, 0, 9};
        final CauseRegister cause = new CauseRegister();
        volatile long dpcStarted;
        volatile long dpcFinished;
        private NdisInterrupt interrupt;

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters initParameters) {
            NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(this));
            NdisM.setMiniportAttributes(
                    handle,
                    MiniportAdapterGeneralAttributes.builder()
                            .mtuSize(1500)
                            .maxLinkSpeed(1_000_000_000L)
                            .initialLinkState(NdisLinkState.disconnected())
                            .macAddress(MAC)
                            .build());
            interrupt = NdisM.registerInterruptEx(handle, this, this);
            return NdisStatus.SUCCESS;
        }

        @Override
        public void haltEx(LatencyMiniport adapterContext, NdisHaltAction haltAction) {
            NdisM.deregisterInterruptEx(interrupt);
        }

        @Override
        public MiniportInterruptResult interrupt(LatencyMiniport context) {
            return context.cause.read32(0) == 0
                    ? MiniportInterruptResult.NOT_RECOGNIZED
                    : MiniportInterruptResult.RECOGNIZED_QUEUE_DEFAULT_DPC;
        }

        @Override
        public void interruptDpc(
                LatencyMiniport context, Object miniportDpcContext, NdisReceiveThrottleParameters throttle) {
            long n = dpcStarted + 1; // only DPCs write these; one DPC at a time (one raise in flight)
            dpcStarted = n;
            dpcFinished = n;
        }
    }
}
