package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

/**
 * An interrupt raised from a thread outside the kernel while its processor is idle runs on the
 * raising thread, as that processor (docs/kernel.md, "Interrupts on the raising thread"), with every
 * rule the processor's own thread keeps: IRQL, processor number, driver, one routine at a time,
 * KeFlushQueuedDpcs, the DPC watchdog, thread dumps and closing the kernel. It is the default
 * ({@link KernelConfig#interruptsOnRaisingThread()}); a kernel booted with it off queues every
 * interrupt for the processor's own thread.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = 60_000) // some tests park a DPC on purpose
class InterruptOnRaisingThreadTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void turnedOffARaiseFromAPlainThreadIsQueuedForTheProcessorsThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Kernel kernel =
                Kernel.boot(KernelConfig.defaults().withName("queued-delivery").withInterruptsOnRaisingThread(false))) {
            onPlainThread("device", () -> kernel.runOnProcessor(0, isr("raiser", () -> seen.add(where()))));
            waitUntil(() -> seen.size() == 1);
            assertThat(seen).containsExactly(kernel.name() + "-cpu0 DIRQL cpu0 PROCESSOR raiser");
        }
    }

    @Test
    void onByDefaultUnlessTheSystemPropertySaysFalse() {
        String before = System.getProperty(KernelConfig.INTERRUPTS_ON_RAISING_THREAD_PROPERTY);
        try {
            System.clearProperty(KernelConfig.INTERRUPTS_ON_RAISING_THREAD_PROPERTY);
            assertThat(KernelConfig.defaults().interruptsOnRaisingThread()).isTrue();
            System.setProperty(KernelConfig.INTERRUPTS_ON_RAISING_THREAD_PROPERTY, "false");
            assertThat(KernelConfig.defaults().interruptsOnRaisingThread()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(KernelConfig.INTERRUPTS_ON_RAISING_THREAD_PROPERTY);
            } else {
                System.setProperty(KernelConfig.INTERRUPTS_ON_RAISING_THREAD_PROPERTY, before);
            }
        }
    }

    @Test
    void anIsrRaisedFromAPlainThreadRunsThereAsTheIdleProcessorAtDirqlAndItsDpcThereAtDispatch(Kernel kernel)
            throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> seen.add("DPC " + where()), null, "raiser");
        AtomicReference<String> afterwards = new AtomicReference<>();

        onPlainThread("device", () -> {
            kernel.runOnProcessor(1, isr("raiser", () -> {
                seen.add("ISR " + where());
                Ke.insertQueueDpc(dpc, null, null); // on the current processor: this thread drains it
            }));
            // Both ran before the raise returned; the thread is itself again.
            afterwards.set(seen.size() + " " + CurrentThread.kind() + " " + Ke.getCurrentIrql() + " "
                    + CurrentThread.driver());
        });

        assertThat(seen)
                .containsExactly(
                        "ISR device DIRQL cpu1 PROCESSOR raiser", "DPC device DISPATCH_LEVEL cpu1 PROCESSOR raiser");
        assertThat(afterwards.get()).isEqualTo("2 EXTERNAL PASSIVE_LEVEL null");
        assertThat(kernel.statistics().interruptServiceRoutines()).isEqualTo(1);
        assertThat(kernel.statistics().deferredProcedureCalls()).isEqualTo(1);
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void aRaiseWhileTheProcessorRunsADpcIsQueuedAndRunsOnTheProcessorsOwnThread(Kernel kernel) throws Exception {
        CountDownLatch release = BusyProcessor.occupy(kernel, 0);
        List<String> seen = new CopyOnWriteArrayList<>();

        onPlainThread("device", () -> kernel.runOnProcessor(0, isr("raiser", () -> seen.add(where()))));

        assertThat(seen).isEmpty(); // queued: the raise returned without running it
        release.countDown();
        waitUntil(() -> seen.size() == 1);
        assertThat(seen).containsExactly(kernel.name() + "-cpu0 DIRQL cpu0 PROCESSOR raiser");
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void aRaiseWhileAnotherRaisingThreadRunsTheProcessorIsQueuedNotRunTwice(Kernel kernel) throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean firstDone = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread first = start(
                "first-device",
                () -> kernel.runOnProcessor(0, isr("raiser", () -> {
                    seen.add("first " + Thread.currentThread().getName());
                    firstRunning.countDown();
                    await(releaseFirst);
                    firstDone.set(true);
                })));
        assertThat(firstRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        onPlainThread(
                "second-device",
                () -> kernel.runOnProcessor(0, isr("raiser", () -> {
                    seen.add("second " + Thread.currentThread().getName() + " after first: " + firstDone.get());
                })));

        assertThat(seen).containsExactly("first first-device"); // the second raise only queued
        releaseFirst.countDown();
        first.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        waitUntil(() -> seen.size() == 2);
        // Run after the first ISR returned: by the first raising thread's drain or by cpu0's own thread.
        assertThat(seen.get(1))
                .isIn("second first-device after first: true", "second " + kernel.name() + "-cpu0 after first: true");
    }

    @Test
    void keFlushQueuedDpcsWaitsForADpcRunningOnARaisingThread(Kernel kernel) throws Exception {
        ParkedDpc parked = ParkedDpc.raise(kernel, "device");
        AtomicBoolean dpcHadFinishedWhenFlushReturned = new AtomicBoolean();
        Thread flusher = start("flusher", () -> {
            kernel.flushQueuedDpcs();
            dpcHadFinishedWhenFlushReturned.set(parked.finished.get());
        });
        // Wait until the flush waits (or, if it wrongly did not, has returned already), then let the DPC go.
        waitUntil(() -> flusher.getState() == Thread.State.WAITING
                || flusher.getState() == Thread.State.TIMED_WAITING
                || flusher.getState() == Thread.State.TERMINATED);
        parked.release.countDown();
        flusher.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        parked.raiser.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        assertThat(flusher.isAlive()).isFalse();
        assertThat(dpcHadFinishedWhenFlushReturned).isTrue();
        assertThat(parked.ranOn.get()).isEqualTo("device DISPATCH_LEVEL cpu0 PROCESSOR raiser");
    }

    @Test
    void aThreadDumpShowsARaisingThreadAsTheProcessorItRuns(Kernel kernel) throws Exception {
        ParkedDpc parked = ParkedDpc.raise(kernel, "device");
        try {
            ThreadSnapshot expected =
                    new ThreadSnapshot(parked.raiser, ThreadKind.PROCESSOR, 0, Irql.DISPATCH_LEVEL, "raiser");
            assertThat(ThreadSnapshot.of(kernel)).contains(expected);
            assertThat(ThreadSnapshot.of(parked.raiser)).isEqualTo(expected);
        } finally {
            parked.release.countDown();
            parked.raiser.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertThat(ThreadSnapshot.of(kernel)).noneMatch(s -> s.thread() == parked.raiser);
        assertThat(ThreadSnapshot.of(parked.raiser).kind()).isEqualTo(ThreadKind.EXTERNAL);
    }

    @Test
    void aDpcThatRunsTooLongOnARaisingThreadIsADpcWatchdogViolationNamingTheDriverAndTheThread() throws Exception {
        try (Kernel kernel = Kernel.boot(KernelConfig.defaults()
                .withName("slow-dpc")
                .withDpcWatchdog(Duration.ofMillis(100), Duration.ofSeconds(30)))) {
            KDpc dpc = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        for (; ; ) {
                            kernel.stall(10_000); // ends with the crash
                        }
                    },
                    null,
                    "slowdriver");
            AtomicBoolean interruptLeftSet = new AtomicBoolean(true);

            onPlainThread("device", () -> {
                kernel.runOnProcessor(0, isr("slowdriver", () -> Ke.insertQueueDpc(dpc, null, null)));
                interruptLeftSet.set(Thread.currentThread().isInterrupted());
            });

            CrashReport report = kernel.crashReport().orElseThrow();
            kernel.acknowledgeCrash();
            assertThat(report.code()).isEqualTo(BugCheckCode.DPC_WATCHDOG_VIOLATION);
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.parameters().get(2)).isEqualTo(100L);
            assertThat(report.driver()).isEqualTo("slowdriver");
            assertThat(report.processor()).isZero();
            assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(report.thread()).isEqualTo("device");
            assertThat(report.stack()).anyMatch(frame -> frame.contains("InterruptOnRaisingThreadTest"));
            // The watchdog's interrupt of the raising thread ended with the routine.
            assertThat(interruptLeftSet).isFalse();
        }
    }

    @Test
    void closingTheKernelWaitsForARoutineRunningOnARaisingThread() throws Exception {
        Kernel kernel = Kernel.boot(KernelConfig.defaults()
                .withName("close-while-raised")
                .withDpcWatchdog(Duration.ofSeconds(60), Duration.ofSeconds(120)));
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread raiser = start(
                "device",
                () -> kernel.runOnProcessor(0, isr("raiser", () -> {
                    running.countDown();
                    waitUntil(kernel::isClosed);
                    finished.set(true);
                })));
        assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        kernel.close();

        assertThat(finished).isTrue(); // close returned only after the routine did
        raiser.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(raiser.isAlive()).isFalse();
    }

    @Test
    @KernelOptions(processors = 2, dpcTimeoutMillis = 60_000)
    void noTwoRoutinesOfOneProcessorEverOverlapWhicheverThreadsRunThem(Kernel kernel) throws Exception {
        int raisers = 3;
        int raisesEach = 3_000;
        int processors = kernel.processorCount();
        AtomicInteger[] inside = new AtomicInteger[processors];
        KDpc[] isrDpcs = new KDpc[processors];
        KDpc[] queuedDpcs = new KDpc[processors];
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger isrsRun = new AtomicInteger();
        // Routines run on the raising threads [0] and on the processors' own threads [1].
        AtomicInteger[] runners = {new AtomicInteger(), new AtomicInteger()};
        for (int cpu = 0; cpu < processors; cpu++) {
            AtomicInteger in = new AtomicInteger();
            inside[cpu] = in;
            isrDpcs[cpu] = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> routine(in, overlaps, runners), null, "stress");
            queuedDpcs[cpu] = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> routine(in, overlaps, runners), null, "stress");
            Ke.setTargetProcessorDpc(queuedDpcs[cpu], cpu);
        }
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < raisers; r++) {
            threads.add(start("device-" + r, () -> {
                // As a device does, raise the next interrupt once the last one was serviced: a flood
                // of queued ISRs would keep both processors busy and no raise would find one idle.
                AtomicInteger serviced = new AtomicInteger();
                for (int i = 0; i < raisesEach; i++) {
                    int cpu = i % processors;
                    kernel.runOnProcessor(cpu, isr("stress", () -> {
                        routine(inside[cpu], overlaps, runners);
                        isrsRun.incrementAndGet();
                        Ke.insertQueueDpc(isrDpcs[cpu], null, null);
                        serviced.incrementAndGet();
                    }));
                    while (serviced.get() <= i) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (int i = 0; i < raisesEach; i++) { // DPCs from elsewhere wake the processors' own threads
            Ke.insertQueueDpc(queuedDpcs[i % processors], null, null);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).isFalse();
        }
        kernel.flushQueuedDpcs(); // every ISR raised has run
        kernel.flushQueuedDpcs(); // and every DPC they queued

        assertThat(overlaps).hasValue(0);
        assertThat(isrsRun).hasValue(raisers * raisesEach);
        assertThat(runners[0].get()).as("routines run by raising threads").isPositive();
        // How many the processors' own threads ran is up to timing, and may be none: a raising thread
        // that owns a processor drains its queue, DPCs queued from elsewhere included.
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A routine of the stress test: counts itself in and out of its processor, and where it ran. */
    private static void routine(AtomicInteger inside, AtomicInteger overlaps, AtomicInteger[] runners) {
        if (inside.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
        runners[Thread.currentThread().getName().startsWith("device-") ? 0 : 1].incrementAndGet();
        for (int i = 0; i < 20; i++) {
            Thread.onSpinWait();
        }
        inside.decrementAndGet();
    }

    /** Where the caller runs: thread, IRQL, processor, kind, driver. */
    private static String where() {
        return Thread.currentThread().getName() + " " + Ke.getCurrentIrql() + " cpu" + Ke.getCurrentProcessorNumber()
                + " " + CurrentThread.kind() + " " + CurrentThread.driver();
    }

    /** An ISR queue entry at DIRQL, as NDIS's interrupt object makes one. */
    private static ProcessorTask isr(String driver, Runnable body) {
        return new ProcessorTask() {
            @Override
            public Irql irql() {
                return Irql.DIRQL;
            }

            @Override
            public String driver() {
                return driver;
            }

            @Override
            public void run() {
                body.run();
            }
        };
    }

    /** A DPC parked on processor 0 by an ISR a plain thread raised, until {@link #release} is counted down. */
    private record ParkedDpc(
            Thread raiser, CountDownLatch release, AtomicBoolean finished, AtomicReference<String> ranOn) {

        static ParkedDpc raise(Kernel kernel, String threadName) throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            AtomicReference<String> ranOn = new AtomicReference<>();
            KDpc dpc = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        ranOn.set(where());
                        running.countDown();
                        await(release);
                        finished.set(true);
                    },
                    null,
                    "raiser");
            Thread raiser = start(
                    threadName,
                    () -> kernel.runOnProcessor(0, isr("raiser", () -> Ke.insertQueueDpc(dpc, null, null))));
            assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            return new ParkedDpc(raiser, release, finished, ranOn);
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    /** Runs {@code body} on a new plain thread and waits for it; its failure fails the test. */
    private static void onPlainThread(String name, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = start(name, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(t.isAlive()).as(name + " finished").isFalse();
        if (failure.get() != null) {
            throw new AssertionError(name + " failed", failure.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + WAIT_SECONDS + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
