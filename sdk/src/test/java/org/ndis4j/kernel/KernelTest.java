package org.ndis4j.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

@ExtendWith(KernelExtension.class)
class KernelTest {

    @Test
    void dpcRunsAtDispatchOnTheTargetProcessor(Kernel kernel) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, String ctx, Object a1, Object a2) -> {
                    seen.set(ctx + " " + a1 + " " + Ke.getCurrentIrql() + " cpu" + Ke.getCurrentProcessorNumber() + " "
                            + CurrentThread.kind());
                    ran.countDown();
                },
                "ctx",
                "test");
        Ke.setTargetProcessorDpc(dpc, 1);
        assertThat(Ke.insertQueueDpc(dpc, "arg", null)).isTrue();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).isEqualTo("ctx arg DISPATCH_LEVEL cpu1 PROCESSOR");
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void aQueuedDpcIsNotQueuedTwice(Kernel kernel) throws Exception {
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KDpc blocker = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    blockerRunning.countDown();
                    awaitQuietly(release);
                },
                null,
                "test");
        CountDownLatch counted = new CountDownLatch(2);
        CountDownLatch ranOnce = new CountDownLatch(1);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    counted.countDown();
                    ranOnce.countDown();
                },
                null,
                "test");
        Ke.insertQueueDpc(blocker, null, null);
        assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Ke.insertQueueDpc(dpc, null, null)).isTrue();
        assertThat(Ke.insertQueueDpc(dpc, null, null)).isFalse();
        release.countDown();
        assertThat(ranOnce.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(counted.await(200, TimeUnit.MILLISECONDS)).isFalse(); // ran once, not twice
        assertThat(counted.getCount()).isEqualTo(1);
        assertThat(dpc.isInserted()).isFalse();
    }

    @Test
    @KernelOptions(processors = 2, dpcTimeoutMillis = 60_000)
    void aRemovedDpcQueuedAgainElsewhereRunsOnceWhereItWasQueuedLast(Kernel kernel) throws Exception {
        CountDownLatch cpu0Busy = new CountDownLatch(1);
        CountDownLatch releaseCpu0 = new CountDownLatch(1);
        KDpc blocker = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    cpu0Busy.countDown();
                    awaitQuietly(releaseCpu0);
                },
                null,
                "test");
        Ke.setTargetProcessorDpc(blocker, 0);
        Ke.insertQueueDpc(blocker, null, null);
        assertThat(cpu0Busy.await(10, TimeUnit.SECONDS)).isTrue();

        java.util.List<Integer> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(1);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    ranOn.add(Ke.getCurrentProcessorNumber());
                    ran.countDown();
                },
                null,
                "test");
        Ke.setTargetProcessorDpc(dpc, 0);
        assertThat(Ke.insertQueueDpc(dpc, null, null)).isTrue(); // waits behind the blocker on cpu0
        assertThat(Ke.removeQueueDpc(dpc)).isTrue();
        Ke.setTargetProcessorDpc(dpc, 1);
        assertThat(Ke.insertQueueDpc(dpc, null, null)).isTrue(); // runs on cpu1 now
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        CountDownLatch cpu0Drained = new CountDownLatch(1);
        KDpc marker =
                kernel.initializeDpc((KDpc d, Object c, Object a1, Object a2) -> cpu0Drained.countDown(), null, "test");
        Ke.setTargetProcessorDpc(marker, 0);
        Ke.insertQueueDpc(marker, null, null);
        releaseCpu0.countDown();
        assertThat(cpu0Drained.await(10, TimeUnit.SECONDS)).isTrue(); // cpu0 passed the stale entry
        assertThat(ranOn).containsExactly(1);
    }

    @Test
    void raiseAndLowerIrql(Kernel kernel) {
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        assertThat(old).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.DISPATCH_LEVEL);
        Ke.lowerIrql(old);
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
    }

    @Test
    void raisingToALowerIrqlIsIrqlNotGreaterOrEqual(Kernel kernel) {
        CurrentThread.enter(kernel);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel, BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, () -> Ke.raiseIrql(Irql.PASSIVE_LEVEL));
            assertThat(report.code().code()).isEqualTo(0x09);
            assertThat(report.parameters()).containsExactly(2L, 0L, 0L, 0L); // current, then requested
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void loweringToAHigherIrqlIsIrqlNotLessOrEqual(Kernel kernel) {
        CurrentThread.enter(kernel);
        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, () -> Ke.lowerIrql(Irql.DISPATCH_LEVEL));
        assertThat(report.code().code()).isEqualTo(0x0A);
        assertThat(report.parameters()).containsExactly(2L, 0L, 0L, 0L); // requested, then current
    }

    @Test
    void keBugCheckExStopsWithTheDriversOwnCodeAndParameters(Kernel kernel) {
        BugCheckCode own = BugCheckCode.of(0xDEAD0001);
        CrashReport report = BugCheckAssertions.assertBugCheck(kernel, own, () -> {
            throw Ke.bugCheckEx(kernel, 0xDEAD0001L, 1, 2, 3, 4);
        });
        assertThat(report.code()).isSameAs(own);
        assertThat(report.code().isNamed()).isFalse();
        assertThat(report.parameters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(report.headline()).startsWith("0xDEAD0001: KeBugCheckEx(0xDEAD0001)");
        assertThat(report.toText()).startsWith("*** STOP: 0xDEAD0001 (0x0000000000000001, 0x0000000000000002");
        assertThat(report.toJson()).contains("\"bugCheck\" : \"0xDEAD0001\"").contains("\"code\" : \"0xDEAD0001\"");
    }

    @Test
    void keBugCheckExWithAKnownCodeKeepsItsName(Kernel kernel) {
        CrashReport report =
                BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, () -> {
                    throw Ke.bugCheckEx(kernel, 0xD1, 0xAB, 2, 0, 0);
                });
        assertThat(report.headline()).startsWith("DRIVER_IRQL_NOT_LESS_OR_EQUAL (0x000000D1)");
        assertThat(report.parameters().get(0)).isEqualTo(0xABL);
    }

    @Test
    void aDpcThatThrowsIsKmodeExceptionNotHandled(Kernel kernel) {
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    throw new IllegalStateException("driver bug");
                },
                null,
                "buggy");
        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, () -> Ke.insertQueueDpc(dpc, null, null));
        assertThat(report.driver()).isEqualTo("buggy");
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
        assertThat(report.message()).contains("driver bug");
    }

    @Test
    void aDpcThatReturnsAtAnotherIrqlIsIrqlUnexpectedValue(Kernel kernel) {
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> Ke.lowerIrql(Irql.PASSIVE_LEVEL), null, "buggy");
        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.IRQL_UNEXPECTED_VALUE, () -> Ke.insertQueueDpc(dpc, null, null));
        // (current IRQL << 16) | (expected IRQL << 8) | UniqueValue, as Windows lays it out.
        assertThat(report.parameters().get(0)).isEqualTo(0L << 16 | 2L << 8 | Processor.UNIQUE_DPC);
        assertThat(report.driver()).isEqualTo("buggy");
    }

    @Test
    void anIsrThatReturnsAtAnotherIrqlIsIrqlUnexpectedValue(Kernel kernel) {
        ProcessorTask isr = new ProcessorTask() {
            @Override
            public Irql irql() {
                return Irql.DIRQL;
            }

            @Override
            public String driver() {
                return "buggy";
            }

            @Override
            public void run() {
                Ke.lowerIrql(Irql.DISPATCH_LEVEL); // and returns there
            }
        };
        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.IRQL_UNEXPECTED_VALUE, () -> kernel.runOnProcessor(0, isr));
        assertThat(report.parameters().get(0)).isEqualTo(2L << 16 | 5L << 8 | Processor.UNIQUE_ISR);
        assertThat(report.message()).contains("an ISR returned at DISPATCH_LEVEL but was called at DIRQL");
    }

    @Test
    void anIsrThatRestoresItsIrqlReturnsCleanly(Kernel kernel) throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        kernel.runOnProcessor(0, new ProcessorTask() {
            @Override
            public Irql irql() {
                return Irql.DIRQL;
            }

            @Override
            public String driver() {
                return "good";
            }

            @Override
            public void run() {
                Ke.lowerIrql(Irql.DISPATCH_LEVEL);
                Ke.raiseIrql(Irql.DIRQL);
                ran.countDown();
            }
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch after = new CountDownLatch(1); // the processor went on: no crash
        KDpc next = kernel.initializeDpc((KDpc d, Object c, Object a1, Object a2) -> after.countDown(), null, "t");
        Ke.setTargetProcessorDpc(next, 0);
        Ke.insertQueueDpc(next, null, null);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void aWorkerRoutineThatReturnsAtDispatchIsABugCheck(Kernel kernel) {
        BugCheckAssertions.assertBugCheck(
                kernel,
                BugCheckCode.WORKER_THREAD_RETURNED_AT_BAD_IRQL,
                () -> kernel.queueWorkItem(
                        WorkQueueType.DelayedWorkQueue, "buggy", () -> Ke.raiseIrql(Irql.DISPATCH_LEVEL)));
    }

    @Test
    void afterABugCheckTheKernelRunsNoDriverCode(Kernel kernel) {
        BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.of(0xDEAD), () -> {
            throw Ke.bugCheckEx(kernel, 0xDEAD, 1, 2, 3, 4);
        });
        KDpc dpc = kernel.initializeDpc((KDpc d, Object c, Object a1, Object a2) -> {}, null, "late");
        assertThatThrownBy(() -> Ke.insertQueueDpc(dpc, null, null)).isInstanceOf(BugCheckException.class);
        assertThatThrownBy(() -> kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "late", () -> {}))
                .isInstanceOf(BugCheckException.class);
    }

    @Test
    void dpcWatchdogCatchesASpinningDpc() throws Exception {
        try (Kernel kernel = Kernel.boot(KernelConfig.defaults()
                .withName("watchdog")
                .withDpcWatchdog(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(5)))) {
            KDpc spinner = kernel.initializeDpc(
                    (KDpc d, Object c, Object a1, Object a2) -> {
                        for (; ; ) {
                            Ndis.stallExecution(10); // ends with the crash
                        }
                    },
                    null,
                    "spinner");
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel, BugCheckCode.DPC_WATCHDOG_VIOLATION, () -> Ke.insertQueueDpc(spinner, null, null));
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.driver()).isEqualTo("spinner");
            assertThat(report.thread()).contains("cpu");
        }
    }

    @Test
    void crashReportIsReadableTextAndJson(Kernel kernel) {
        CrashReport report = BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.MANUALLY_INITIATED_CRASH, () -> {
            throw Ke.bugCheckEx(kernel, 0xE2, 0xA, 0xB, 0xC, 0xD);
        });
        assertThat(report.toText())
                .contains("*** STOP: 0x000000E2 (0x000000000000000A, 0x000000000000000B")
                .contains("IRQL:      PASSIVE_LEVEL (0)")
                .contains("Stack:");
        assertThat(report.toJson())
                .contains("\"bugCheck\" : \"MANUALLY_INITIATED_CRASH\"")
                .contains("\"code\" : \"0x000000E2\"")
                .contains("\"allocations\" : [ ]");
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void flushQueuedDpcsReturnsOnceTheRunningAndTheQueuedDpcsHaveRun(Kernel kernel) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        KDpc blocker = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    running.countDown();
                    awaitQuietly(release);
                    ran.add("running");
                },
                null,
                "t");
        KDpc queued = kernel.initializeDpc((KDpc d, Object c, Object a1, Object a2) -> ran.add("queued"), null, "t");
        Ke.insertQueueDpc(blocker, null, null);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        Ke.insertQueueDpc(queued, null, null);

        AtomicReference<List<String>> seenAtReturn = new AtomicReference<>();
        Thread flusher = new Thread(() -> {
            kernel.flushQueuedDpcs();
            seenAtReturn.set(List.copyOf(ran));
        });
        flusher.start();
        // The flusher waits on a kernel event (WAITING: Kernel.waitFor, ended by the event or a crash)
        // while the blocker holds the processor.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flusher.getState() != Thread.State.WAITING && flusher.isAlive()) {
            assertThat(System.nanoTime()).as("flusher waiting").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(seenAtReturn.get())
                .as("returned while a DPC was still running")
                .isNull();
        release.countDown();
        flusher.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(seenAtReturn.get()).containsExactly("running", "queued");
    }

    @Test
    void workQueuesRunOnTheirOwnThreads(Kernel kernel) throws Exception {
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch ran = new CountDownLatch(2);
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "t", () -> {
            names.add(Thread.currentThread().getName() + "@" + Ke.getCurrentIrql());
            ran.countDown();
        });
        kernel.queueWorkItem(WorkQueueType.DelayedWorkQueue, "t", () -> {
            names.add(Thread.currentThread().getName() + "@" + Ke.getCurrentIrql());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(names)
                .anyMatch(n -> n.contains("CriticalWorkQueue") && n.endsWith("@PASSIVE_LEVEL"))
                .anyMatch(n -> n.contains("DelayedWorkQueue") && n.endsWith("@PASSIVE_LEVEL"));
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> KernelConfig.defaults().withProcessors(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processors");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
