package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.filter.FilterAttachParameters;
import org.ndis4j.ndis.filter.FilterDriver;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisFilterDriverHandle;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * Driver unload: NDIS waits for the driver's work items, calls its unload routine, and then nothing of
 * the driver may run any more (0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS) and nothing
 * it allocated with its handles may be left. Each breaking test has a clean twin.
 */
@ExtendWith(KernelExtension.class)
class DriverUnloadTest {

    /** A miniport driver with no adapter: what it does in DriverEntry and in its unload routine is the test's. */
    static final class UnloadingMiniport implements MiniportDriver<Object> {
        volatile NdisMiniportDriverHandle handle;
        volatile NdisTimer timer;
        volatile NdisIoWorkItem workItem;
        final AtomicInteger timerRuns = new AtomicInteger();
        volatile Consumer<UnloadingMiniport> onEntry = m -> {};
        volatile Consumer<UnloadingMiniport> onUnload = m -> NdisM.deregisterMiniportDriver(m.handle);

        DriverObject load(Kernel kernel) {
            return PnpManager.of(kernel).loadDriver("unloading", (driverObject, registryPath) -> {
                handle = NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
                onEntry.accept(this);
                return NdisStatus.SUCCESS;
            });
        }

        /** A periodic timer allocated with the driver handle, firing every 20 ms from now. */
        void startTimer() {
            timer = Ndis.allocateTimerObject(handle, (Object c, NdisTimer t) -> timerRuns.incrementAndGet(), null);
            Ndis.setTimerObject(timer, -200_000L, 20, null);
        }

        @Override
        public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
            return NdisStatus.NOT_SUPPORTED;
        }

        @Override
        public void haltEx(Object adapterContext, NdisHaltAction action) {}

        @Override
        public void unload(DriverObject driverObject) {
            onUnload.accept(this);
        }
    }

    // ---- timers ---------------------------------------------------------------------------------

    @Test
    void aTimerStillSetWhenTheUnloadRoutineReturnsIs0xCEAndIsTakenOutOfTheTimerQueue(Kernel kernel)
            throws InterruptedException {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = UnloadingMiniport::startTimer;
        DriverObject image = driver.load(kernel);
        Await.until("the timer fires while the driver is loaded", () -> driver.timerRuns.get() >= 2);

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel,
                BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.message()).contains("unloading unloaded with 1 timer object(s) still set");
        assertThat(report.allocations())
                .as("where the driver allocated the timer")
                .anyMatch(site -> site.frames().stream().anyMatch(f -> f.contains("UnloadingMiniport.startTimer")));
        assertThat(driver.timer.isSet()).as("out of the timer queue").isFalse();
        int runsAtUnload = driver.timerRuns.get();
        KEvent fivePeriodsLater = kernel.initializeEvent(false);
        kernel.schedule(100_000_000L, fivePeriodsLater::set); // the kernel's clock goes on after the crash
        assertThat(fivePeriodsLater.await(-1)).isTrue();
        assertThat(driver.timerRuns.get()).as("its function never ran again").isEqualTo(runsAtUnload);
    }

    @Test
    void unloadWaitsForATimerFunctionStillRunningAsTheUnloadRoutineReturns(Kernel kernel) throws Exception {
        UnloadingMiniport driver = new UnloadingMiniport();
        AtomicBoolean functionRunning = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean unloadRoutineReturned = new AtomicBoolean();
        AtomicBoolean unloadDone = new AtomicBoolean();
        AtomicBoolean unloadDoneBeforeTheFunctionReturned = new AtomicBoolean();
        driver.onEntry = m -> {
            m.timer = Ndis.allocateTimerObject(
                    m.handle,
                    (Object c, NdisTimer t) -> {
                        functionRunning.set(true);
                        while (!release.get() && !kernel.isCrashed()) {
                            Ndis.stallExecution(10); // still on its processor when the unload routine returns
                        }
                        unloadDoneBeforeTheFunctionReturned.set(unloadDone.get());
                    },
                    null);
            Ndis.setTimerObject(m.timer, -10_000L, 0, null);
        };
        driver.onUnload = m -> {
            Ndis.cancelTimerObject(m.timer); // FALSE: the function runs; the driver does not wait for it
            Ndis.freeTimerObject(m.timer);
            NdisM.deregisterMiniportDriver(m.handle);
            unloadRoutineReturned.set(true);
        };
        DriverObject image = driver.load(kernel);
        Await.until("the timer function runs", functionRunning::get);

        Thread unload = new Thread(() -> {
            PnpManager.of(kernel).unloadDriver(image);
            unloadDone.set(true);
        });
        try {
            unload.start();
            Await.until("the unload routine returned", unloadRoutineReturned::get);
        } finally {
            release.set(true);
        }
        unload.join();

        assertThat(kernel.isCrashed())
                .as("a function running at unload is flushed, not a bug check")
                .isFalse();
        assertThat(unloadDoneBeforeTheFunctionReturned.get())
                .as("the unload finished only after the running timer function returned (KeFlushQueuedDpcs)")
                .isFalse();
    }

    @Test
    void aTimerCancelledAndFreedByTheUnloadRoutineUnloadsCleanly(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = UnloadingMiniport::startTimer;
        driver.onUnload = m -> {
            Ndis.cancelTimerObject(m.timer); // periodic: at PASSIVE_LEVEL, its DPC flushed
            Ndis.freeTimerObject(m.timer);
            NdisM.deregisterMiniportDriver(m.handle);
        };
        DriverObject image = driver.load(kernel);
        Await.until("the timer fires while the driver is loaded", () -> driver.timerRuns.get() >= 2);

        PnpManager.of(kernel).unloadDriver(image);

        assertThat(kernel.isCrashed()).isFalse();
        assertThat(driver.timer.isSet()).isFalse();
    }

    @Test
    void aTimerAllocatedWithTheDriverHandleAndNotFreedIsTimerObjectLeak(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = m -> m.timer = Ndis.allocateTimerObject(m.handle, (Object c, NdisTimer t) -> {}, null);
        DriverObject image = driver.load(kernel);

        BugCheckAssertions.assertViolation(
                kernel, Rule.TimerObject_Leak, () -> PnpManager.of(kernel).unloadDriver(image));
    }

    // ---- work items -----------------------------------------------------------------------------

    @Test
    void aWorkItemAllocatedWithTheDriverHandleAndNotFreedIsIoWorkItemLeakAtUnload(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = m -> m.workItem = Ndis.allocateIoWorkItem(m.handle);
        DriverObject image = driver.load(kernel);

        CrashReport report = BugCheckAssertions.assertViolation(
                kernel,
                Rule.IoWorkItem_LeakAtUnload,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.parameters().get(1)).isEqualTo(1L);
    }

    @Test
    void aWorkItemFreedByTheUnloadRoutineUnloadsCleanly(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = m -> m.workItem = Ndis.allocateIoWorkItem(m.handle);
        driver.onUnload = m -> {
            Ndis.freeIoWorkItem(m.workItem);
            NdisM.deregisterMiniportDriver(m.handle);
        };
        DriverObject image = driver.load(kernel);

        PnpManager.of(kernel).unloadDriver(image);

        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void theUnloadRoutineRunsOnlyOnceTheDriversWorkItemsHaveFinished(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        AtomicBoolean itemFinished = new AtomicBoolean();
        AtomicBoolean finishedBeforeUnload = new AtomicBoolean();
        driver.onEntry = m -> {
            m.workItem = Ndis.allocateIoWorkItem(m.handle);
            Ndis.queueIoWorkItem(
                    m.workItem,
                    (Object c, NdisIoWorkItem item) -> {
                        NdisM.sleep(100_000); // still running when the host asks for the unload
                        itemFinished.set(true);
                    },
                    null);
        };
        driver.onUnload = m -> {
            finishedBeforeUnload.set(itemFinished.get());
            Ndis.freeIoWorkItem(m.workItem);
            NdisM.deregisterMiniportDriver(m.handle);
        };
        DriverObject image = driver.load(kernel);

        PnpManager.of(kernel).unloadDriver(image);

        assertThat(finishedBeforeUnload)
                .as("the work item held the driver loaded")
                .isTrue();
    }

    @Test
    void aWorkItemTheUnloadRoutineLeavesQueuedOrRunningIs0xCE(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onEntry = m -> m.workItem = Ndis.allocateIoWorkItem(m.handle);
        driver.onUnload = m -> {
            NdisEvent never = Ndis.initializeEvent();
            Ndis.queueIoWorkItem(m.workItem, (NdisEvent e, NdisIoWorkItem item) -> Ndis.waitEvent(e, 0), never);
            NdisM.deregisterMiniportDriver(m.handle);
        };
        DriverObject image = driver.load(kernel);

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel,
                BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.message()).contains("1 work item(s) still queued or running");
    }

    // ---- deregistration -------------------------------------------------------------------------

    @Test
    void anUnloadRoutineThatDoesNotDeregisterItsMiniportIsDriverDeregisterAtUnload(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        driver.onUnload = m -> {}; // no NdisMDeregisterMiniportDriver
        DriverObject image = driver.load(kernel);

        CrashReport report = BugCheckAssertions.assertViolation(
                kernel,
                Rule.Driver_DeregisterAtUnload,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.message()).contains("NdisMDeregisterMiniportDriver");
    }

    @Test
    void aDeregisteredMiniportDriverHandleIsHandleInvalid(Kernel kernel) {
        UnloadingMiniport driver = new UnloadingMiniport();
        PnpManager.of(kernel).unloadDriver(driver.load(kernel)); // deregisters

        BugCheckAssertions.assertViolation(
                kernel, Rule.Handle_Invalid, () -> NdisM.deregisterMiniportDriver(driver.handle));
    }

    @Test
    void deregisteringAMiniportDriverThatStillHasAnAdapterIs0x7C0A(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "busy"), TestMiniport.trivialDevice("nic0"));

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> NdisM.deregisterMiniportDriver(miniport.driverHandle));

        assertThat(report.parameters().get(0)).isEqualTo(0x0AL); // NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED
        assertThat(report.parameters().get(3)).isEqualTo(1L); // one adapter left
    }

    /** A filter driver that attaches nowhere (it refuses every adapter); its DriverUnload is the test's. */
    static final class UnloadingFilter implements FilterDriver<Object> {
        volatile NdisFilterDriverHandle handle;

        DriverObject load(Kernel kernel, boolean deregisterAtUnload) {
            return PnpManager.of(kernel).loadDriver("lwf", (driverObject, registryPath) -> {
                handle = NdisF.registerFilterDriver(driverObject, null, this);
                driverObject.setDriverUnload(self -> {
                    if (deregisterAtUnload) {
                        NdisF.deregisterFilterDriver(handle);
                    }
                });
                return NdisStatus.SUCCESS;
            });
        }

        @Override
        public NdisStatus attach(NdisFilterModuleHandle module, Object context, FilterAttachParameters parameters) {
            return NdisStatus.NOT_SUPPORTED;
        }

        @Override
        public void detach(Object filterModuleContext) {}
    }

    @Test
    void aFilterDriverUnloadRoutineThatCallsNdisFDeregisterFilterDriverUnloadsCleanly(Kernel kernel) {
        UnloadingFilter filter = new UnloadingFilter();
        DriverObject image = filter.load(kernel, true);

        PnpManager.of(kernel).unloadDriver(image);

        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void aFilterLeftRegisteredByItsUnloadRoutineIsDriverDeregisterAtUnload(Kernel kernel) {
        UnloadingFilter filter = new UnloadingFilter();
        DriverObject image = filter.load(kernel, false);

        CrashReport report = BugCheckAssertions.assertViolation(
                kernel,
                Rule.Driver_DeregisterAtUnload,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.message()).contains("NdisFDeregisterFilterDriver");
    }

    /** A driver whose DriverEntry registers a protocol (without handlers: it binds to nothing). */
    private static DriverObject protocolDriver(Kernel kernel, boolean deregisterAtUnload) {
        NdisProtocolDriverHandle[] handle = new NdisProtocolDriverHandle[1];
        return PnpManager.of(kernel).loadDriver("proto", (driverObject, registryPath) -> {
            handle[0] = Ndis.registerProtocolDriver(driverObject.kernel(), "proto");
            driverObject.setDriverUnload(self -> {
                if (deregisterAtUnload) {
                    Ndis.deregisterProtocolDriver(handle[0]);
                }
            });
            return NdisStatus.SUCCESS;
        });
    }

    @Test
    void aProtocolDriverUnloadRoutineThatCallsNdisDeregisterProtocolDriverUnloadsCleanly(Kernel kernel) {
        PnpManager.of(kernel).unloadDriver(protocolDriver(kernel, true));

        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void aProtocolLeftRegisteredByItsUnloadRoutineIsDriverDeregisterAtUnload(Kernel kernel) {
        DriverObject image = protocolDriver(kernel, false);

        CrashReport report = BugCheckAssertions.assertViolation(
                kernel,
                Rule.Driver_DeregisterAtUnload,
                () -> PnpManager.of(kernel).unloadDriver(image));

        assertThat(report.message()).contains("protocol proto (NdisDeregisterProtocolDriver)");
    }
}
