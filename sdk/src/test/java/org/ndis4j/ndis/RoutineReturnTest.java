package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertBugCheck;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/**
 * What the kernel checks when a routine returns: a DPC (KeInsertQueueDpc, a timer's, an interrupt's),
 * an ISR or a work item routine that returns holding a spin lock breaks rule SpinLock (the report names
 * the lock and where it was acquired); one that returns at another IRQL than it was called at is
 * IRQL_UNEXPECTED_VALUE (DPC, ISR) or WORKER_THREAD_RETURNED_AT_BAD_IRQL (work item). Each broken
 * routine has a clean twin.
 */
@ExtendWith(KernelExtension.class)
class RoutineReturnTest {

    private static NdisSpinLock lock(Kernel kernel) {
        CurrentThread.enter(kernel);
        return Ndis.allocateSpinLock();
    }

    private static void assertNamesTheLockAndWhereItWasAcquired(CrashReport report, String routine) {
        assertThat(report.parameters()).containsExactly((long) Rule.SpinLock.id(), 1L, 0L, 0L);
        assertThat(report.message()).startsWith(routine + " returned holding NDIS_SPIN_LOCK#");
        assertThat(report.allocations()).isNotEmpty();
        assertThat(report.allocations().get(0).object()).endsWith(" acquired");
        assertThat(report.allocations().get(0).frames().get(0)).contains("RoutineReturnTest");
    }

    // ---- a DPC queued with KeInsertQueueDpc -----------------------------------------------------

    @Test
    void aDpcThatReturnsHoldingASpinLockIsSpinLock(Kernel kernel) {
        NdisSpinLock lock = lock(kernel);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> Ndis.dprAcquireSpinLock(lock), null, "leaky");
        CrashReport report = assertViolation(kernel, Rule.SpinLock, () -> Ke.insertQueueDpc(dpc, null, null));
        assertNamesTheLockAndWhereItWasAcquired(report, "a DPC");
        assertThat(report.driver()).isEqualTo("leaky");
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    }

    @Test
    void aDpcThatReleasesItsSpinLockReturnsCleanly(Kernel kernel) throws Exception {
        NdisSpinLock lock = lock(kernel);
        CountDownLatch ran = new CountDownLatch(2);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, Object c, Object a1, Object a2) -> {
                    Ndis.dprAcquireSpinLock(lock);
                    Ndis.dprReleaseSpinLock(lock);
                    ran.countDown();
                },
                null,
                "tidy");
        Ke.insertQueueDpc(dpc, null, null);
        waitUntil(() -> ran.getCount() == 1);
        Ke.insertQueueDpc(dpc, null, null); // the processor goes on, and the lock is free again
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kernel.isCrashed()).isFalse();
        Ndis.freeSpinLock(lock);
    }

    // ---- a timer's DPC --------------------------------------------------------------------------

    private static NdisMiniportAdapterHandle adapter(Kernel kernel) {
        return PnpManager.of(kernel)
                .addDevice(new TestMiniport().load(kernel, "routines"), TestMiniport.trivialDevice("r0"));
    }

    @Test
    void aTimerFunctionThatReturnsHoldingASpinLockIsSpinLock(Kernel kernel) {
        NdisSpinLock lock = lock(kernel);
        NdisTimer timer =
                Ndis.allocateTimerObject(adapter(kernel), (Object c, NdisTimer t) -> Ndis.acquireSpinLock(lock), null);
        CrashReport report = assertViolation(kernel, Rule.SpinLock, () -> Ndis.setTimerObject(timer, -1, 0, null));
        assertNamesTheLockAndWhereItWasAcquired(report, "a DPC");
        assertThat(report.driver()).isEqualTo("routines");
    }

    @Test
    void aTimerFunctionThatReleasesItsSpinLockReturnsCleanly(Kernel kernel) throws Exception {
        NdisSpinLock lock = lock(kernel);
        CountDownLatch ran = new CountDownLatch(1);
        NdisTimer timer = Ndis.allocateTimerObject(
                adapter(kernel),
                (Object c, NdisTimer t) -> {
                    Ndis.acquireSpinLock(lock);
                    Ndis.releaseSpinLock(lock);
                    ran.countDown();
                },
                null);
        Ndis.setTimerObject(timer, -1, 0, null);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !timer.isSet());
        Ndis.freeTimerObject(timer);
        assertThat(kernel.isCrashed()).isFalse();
    }

    // ---- an interrupt's ISR and DPC -------------------------------------------------------------

    @Test
    void anInterruptDpcThatReturnsHoldingASpinLockIsSpinLock(Kernel kernel) {
        NdisSpinLock lock = lock(kernel);
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        miniport.onDpc = (a, ctx, throttle) -> Ndis.dprAcquireSpinLock(lock);
        CrashReport report =
                assertViolation(kernel, Rule.SpinLock, () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
        assertNamesTheLockAndWhereItWasAcquired(report, "a DPC");
        assertThat(report.driver()).isEqualTo("irq");
    }

    @Test
    void anIsrThatReturnsAtAnotherIrqlIsIrqlUnexpectedValue(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        miniport.onIsr = a -> {
            Ke.lowerIrql(Irql.DISPATCH_LEVEL);
            return MiniportInterruptResult.RECOGNIZED_NO_DPC;
        };
        CrashReport report = assertBugCheck(
                kernel, BugCheckCode.IRQL_UNEXPECTED_VALUE, () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
        assertThat(report.parameters().get(0)).isEqualTo(2L << 16 | 5L << 8 | 3); // UniqueValue 3: an ISR
        assertThat(report.driver()).isEqualTo("irq");
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    }

    @Test
    void anIsrAndDpcThatRestoreEverythingReturnCleanly(Kernel kernel) {
        NdisSpinLock lock = lock(kernel);
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        miniport.onDpc = (a, ctx, throttle) -> {
            Ndis.dprAcquireSpinLock(lock);
            a.pendingCauses.set(0);
            Ndis.dprReleaseSpinLock(lock);
        };
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> miniport.last.interrupt.dpcsRun() == 1);
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> miniport.last.interrupt.dpcsRun() == 2);
        assertThat(kernel.isCrashed()).isFalse();
    }

    // ---- a work item routine --------------------------------------------------------------------

    @Test
    void aWorkItemRoutineThatReturnsHoldingASpinLockIsSpinLock(Kernel kernel) {
        NdisSpinLock lock = lock(kernel);
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter);
        // NdisAcquireSpinLock at PASSIVE_LEVEL raises to DISPATCH_LEVEL too: the lock is named first.
        CrashReport report = assertViolation(
                kernel,
                Rule.SpinLock,
                () -> Ndis.queueIoWorkItem(item, (Object c, NdisIoWorkItem i) -> Ndis.acquireSpinLock(lock), null));
        assertNamesTheLockAndWhereItWasAcquired(report, "a work item routine");
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    }

    @Test
    void aWorkItemRoutineThatReleasesItsSpinLockReturnsCleanly(Kernel kernel) throws Exception {
        NdisSpinLock lock = lock(kernel);
        NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapter(kernel));
        CountDownLatch ran = new CountDownLatch(1);
        Ndis.queueIoWorkItem(
                item,
                (Object c, NdisIoWorkItem i) -> {
                    Ndis.acquireSpinLock(lock);
                    Ndis.releaseSpinLock(lock);
                    ran.countDown();
                },
                null);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> !item.isQueued());
        Ndis.freeIoWorkItem(item);
        Ndis.acquireSpinLock(lock); // free again: the test thread takes it
        Ndis.releaseSpinLock(lock);
        assertThat(kernel.isCrashed()).isFalse();
    }
}
