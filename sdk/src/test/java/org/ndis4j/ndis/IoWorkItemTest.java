package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;

@ExtendWith(KernelExtension.class)
class IoWorkItemTest {

    private static final long WAIT = 10;

    private NdisMiniportAdapterHandle runningAdapter(Kernel kernel, TestMiniport miniport) {
        DriverObject driver = miniport.load(kernel, "wi");
        return PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("dev0"));
    }

    @Test
    void routineRunsAtPassiveOnACriticalWorkQueueThreadWithItsContext(Kernel kernel) throws Exception {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, miniport);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        Ndis.queueIoWorkItem(
                item,
                (String ctx, NdisIoWorkItem self) -> {
                    seen.set(ctx + " " + Ke.getCurrentIrql() + " "
                            + Thread.currentThread().getName() + " "
                            + CurrentThread.kind() + " " + (self == item));
                    ran.countDown();
                },
                "ctx");
        assertThat(ran.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get())
                .startsWith("ctx PASSIVE_LEVEL ")
                .contains("CriticalWorkQueue")
                .endsWith("WORKER true");
        Ndis.freeIoWorkItem(item);
    }

    @Test
    void freeInsideTheRoutineIsLegal(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        CountDownLatch freed = new CountDownLatch(1);
        Ndis.queueIoWorkItem(
                item,
                (Object ctx, NdisIoWorkItem self) -> {
                    Ndis.freeIoWorkItem(self);
                    freed.countDown();
                },
                null);
        assertThat(freed.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(item.isFreed()).isTrue();
        // Removing the device runs the halt-time accounting: nothing is reported as leaked.
        PnpManager.of(kernel).removeDevice(adapter);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void requeueAfterTheRoutineRanAndFromInsideIt(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        IoWorkItemRoutine<Object> again = new IoWorkItemRoutine<>() {
            @Override
            public void run(Object ctx, NdisIoWorkItem self) {
                if (runs.incrementAndGet() < 2) {
                    Ndis.queueIoWorkItem(self, this, null); // re-queue from inside the routine
                }
                threeRuns.countDown();
            }
        };
        Ndis.queueIoWorkItem(item, again, null);
        waitUntil(() -> runs.get() == 2 && !item.isQueued());
        Ndis.queueIoWorkItem(item, again, null); // and again after it ran
        assertThat(threeRuns.await(WAIT, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.isQueued());
        Ndis.freeIoWorkItem(item);
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void aMiniportDriverHandleMayOwnWorkItems(Kernel kernel) throws Exception {
        TestMiniport miniport = new TestMiniport();
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, miniport);
        NdisMiniportDriverHandle driverHandle = AdapterView.of(adapter).miniportDriver();
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(driverHandle);
        CountDownLatch ran = new CountDownLatch(1);
        Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> ran.countDown(), null);
        assertThat(ran.await(WAIT, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.isQueued());
        Ndis.freeIoWorkItem(item);
        assertThat(item.owner()).isSameAs(driverHandle);
    }

    @Test
    void allocationFailureReturnsNull(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        FaultInjection.of(kernel).failNext(FaultInjection.Allocation.IO_WORK_ITEM, 1);
        assertThat(Ndis.allocateIoWorkItem(adapter)).isNull();
        NdisIoWorkItem second = Ndis.allocateIoWorkItem(adapter);
        assertThat(second).isNotNull();
        Ndis.freeIoWorkItem(second);
    }

    @Test
    void protocolHandleIsRefused(Kernel kernel) {
        NdisProtocolDriverHandle protocol = Ndis.registerProtocolDriver(kernel, "tcpip");
        var report = assertViolation(kernel, Rule.IoWorkItem_HandleKind, () -> Ndis.allocateIoWorkItem(protocol));
        assertThat(report.message()).contains("protocol handle");
    }

    @Test
    void allocateAboveDispatchIsAnIrqlViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        var report = assertViolation(
                kernel, Rule.Irql_Miscellaneous_Function, () -> atDirql(() -> Ndis.allocateIoWorkItem(adapter)));
        assertThat(report.irql()).isEqualTo(Irql.DIRQL);
        assertThat(report.parameters())
                .containsExactly(
                        (long) Rule.Irql_Miscellaneous_Function.id(),
                        (long) Irql.DIRQL.level(),
                        (long) Irql.DISPATCH_LEVEL.level(),
                        0L);
    }

    @Test
    void queueAboveDispatchIsAnIrqlViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        assertViolation(
                kernel,
                Rule.Irql_Miscellaneous_Function,
                () -> atDirql(() -> Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> {}, null)));
    }

    @Test
    void freeAboveDispatchIsAnIrqlViolation(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        assertViolation(kernel, Rule.Irql_Miscellaneous_Function, () -> atDirql(() -> Ndis.freeIoWorkItem(item)));
    }

    @Test
    void allThreeAreLegalAtDispatch(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<NdisIoWorkItem> item = new AtomicReference<>();
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            item.set(Ndis.allocateIoWorkItem(adapter));
            Ndis.queueIoWorkItem(item.get(), (Object c, NdisIoWorkItem i) -> ran.countDown(), null);
        } finally {
            Ke.lowerIrql(old);
        }
        assertThat(ran.await(WAIT, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.get().isQueued());
        Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            Ndis.freeIoWorkItem(item.get());
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    @KernelOptions(criticalWorkers = 1)
    void doubleQueueIsAViolation(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        CountDownLatch release = occupyTheOnlyWorker(adapter);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> {}, null);
        assertViolation(
                kernel,
                Rule.IoWorkItem_DoubleQueue,
                () -> Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> {}, null));
        release.countDown();
    }

    @Test
    @KernelOptions(criticalWorkers = 1)
    void freeWhileQueuedIsAViolation(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        CountDownLatch release = occupyTheOnlyWorker(adapter);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> {}, null);
        assertViolation(kernel, Rule.IoWorkItem_FreeWhileQueued, () -> Ndis.freeIoWorkItem(item));
        release.countDown();
    }

    @Test
    void queueAfterFreeIsUseAfterFree(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        Ndis.freeIoWorkItem(item);
        assertViolation(
                kernel,
                Rule.IoWorkItem_UseAfterFree,
                () -> Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> {}, null));
    }

    @Test
    void doubleFreeIsUseAfterFree(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, new TestMiniport());
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        Ndis.freeIoWorkItem(item);
        assertViolation(kernel, Rule.IoWorkItem_UseAfterFree, () -> Ndis.freeIoWorkItem(item));
    }

    @Test
    void workItemLeakedAtHaltIsReported(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            a.workItem = Ndis.allocateIoWorkItem(a.handle); // allocated in initialize, never freed
            return NdisStatus.SUCCESS;
        };
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, miniport);
        var report = assertViolation(
                kernel,
                Rule.Init_NdisAllocateIoWorkItem,
                () -> PnpManager.of(kernel).removeDevice(adapter));
        assertThat(report.message()).contains("1 work item(s)").contains("MiniportHaltEx");
        // NDIS found it after the driver returned, and blames the miniport whose halt leaked it
        assertThat(report.driver()).isEqualTo("wi");
    }

    @Test
    void workItemLeakedByAFailedInitializeIsReported(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            a.workItem = Ndis.allocateIoWorkItem(a.handle);
            return NdisStatus.RESOURCES;
        };
        DriverObject driver = miniport.load(kernel, "wi");
        assertViolation(
                kernel,
                Rule.Init_NdisAllocateIoWorkItem,
                () -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("dev0")));
    }

    @Test
    void haltWaitsForARunningWorkItem(Kernel kernel) throws Exception {
        TestMiniport miniport = new TestMiniport();
        CountDownLatch routineStarted = new CountDownLatch(1);
        CountDownLatch letRoutineFinish = new CountDownLatch(1);
        miniport.onHalt = a -> {}; // the routine frees the item itself
        NdisMiniportAdapterHandle adapter = runningAdapter(kernel, miniport);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        Ndis.queueIoWorkItem(
                item,
                (Object c, NdisIoWorkItem self) -> {
                    routineStarted.countDown();
                    await(letRoutineFinish);
                    Ndis.freeIoWorkItem(self);
                },
                null);
        assertThat(routineStarted.await(WAIT, TimeUnit.SECONDS)).isTrue();

        Thread remover = new Thread(() -> PnpManager.of(kernel).removeDevice(adapter), "remover");
        remover.start();
        waitUntil(() -> AdapterView.of(adapter).isHaltWaitingForWorkItems());
        assertThat(miniport.calls).contains("halt");
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused); // not Halted while the item runs

        letRoutineFinish.countDown();
        remover.join(TimeUnit.SECONDS.toMillis(WAIT));
        assertThat(remover.isAlive()).isFalse();
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Blocks the single CriticalWorkQueue thread until the returned latch is released. */
    private static CountDownLatch occupyTheOnlyWorker(NdisMiniportAdapterHandle adapter) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        NdisIoWorkItem blocker = Ndis.allocateIoWorkItem(AdapterView.of(adapter).miniportDriver());
        Ndis.queueIoWorkItem(
                blocker,
                (Object c, NdisIoWorkItem self) -> {
                    busy.countDown();
                    await(release);
                },
                null);
        assertThat(busy.await(WAIT, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private static void atDirql(Runnable r) {
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            r.run();
        } finally {
            Ke.lowerIrql(old);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
