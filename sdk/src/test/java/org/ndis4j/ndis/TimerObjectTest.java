package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.await;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertBugCheck;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BusyProcessor;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.verifier.Rule;

/**
 * NDIS timer objects as the WDK defines them: allocation at IRQL &lt;= DISPATCH_LEVEL, cancel with
 * KeCancelTimer's answer (an expiry whose DPC is queued still runs), a periodic timer cancelled only at
 * PASSIVE_LEVEL and then with its DPC flushed, and a freed timer caught as used after free. Callbacks
 * are held with latches, never with sleeps.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = 60_000) // tests hold a DPC on a latch on purpose
class TimerObjectTest {

    private static final long A_MINUTE = -10_000_000L * 60; // relative, in 100-ns units
    private static final long NOW = -1; // relative: 100 ns from now

    private static NdisMiniportAdapterHandle adapter(Kernel kernel) {
        return PnpManager.of(kernel)
                .addDevice(new TestMiniport().load(kernel, "timers"), TestMiniport.trivialDevice("t0"));
    }

    private static NdisTimer timer(NdisMiniportAdapterHandle adapter) {
        return Ndis.allocateTimerObject(adapter, (Object c, NdisTimer t) -> {}, null);
    }

    // ---- NdisAllocateTimerObject: IRQL <= DISPATCH_LEVEL ------------------------------------------

    @Test
    void allocatingAtDispatchIsLegal(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        NdisTimer timer;
        try {
            timer = timer(adapter);
        } finally {
            Ke.lowerIrql(old);
        }
        assertThat(timer).isNotNull();
        Ndis.freeTimerObject(timer);
    }

    @Test
    void allocatingAboveDispatchIsIrqlTimerFunction(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            CrashReport report = assertViolation(kernel, Rule.Irql_Timer_Function, () -> timer(adapter));
            assertThat(report.parameters()).containsExactly((long) Rule.Irql_Timer_Function.id(), 5L, 2L, 0L);
        } finally {
            Ke.lowerIrql(old);
        }
    }

    // ---- use after free ------------------------------------------------------------------------

    @Test
    void settingAFreedTimerIsUseAfterFreeAndNamesWhereItWasAllocatedAndFreed(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        Ndis.freeTimerObject(timer);
        CrashReport report = assertViolation(
                kernel, Rule.TimerObject_UseAfterFree, () -> Ndis.setTimerObject(timer, A_MINUTE, 0, null));
        assertThat(report.message()).contains("NdisSetTimerObject").contains("which NdisFreeTimerObject freed");
        assertThat(report.allocations()).hasSize(2);
        assertThat(report.allocations().get(0).object()).isEqualTo(timer.toString());
        assertThat(report.allocations().get(0).frames().get(0)).contains("TimerObjectTest.timer(");
        assertThat(report.allocations().get(1).object()).isEqualTo(timer + " freed");
        assertThat(report.allocations().get(1).frames().get(0))
                .contains("TimerObjectTest.settingAFreedTimerIsUseAfterFree");
    }

    @Test
    void cancellingAFreedTimerIsUseAfterFree(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        Ndis.freeTimerObject(timer);
        assertViolation(kernel, Rule.TimerObject_UseAfterFree, () -> Ndis.cancelTimerObject(timer));
    }

    @Test
    void freeingATimerTwiceIsUseAfterFree(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        Ndis.freeTimerObject(timer);
        assertViolation(kernel, Rule.TimerObject_UseAfterFree, () -> Ndis.freeTimerObject(timer));
    }

    @Test
    void setCancelAndFreeInOrderIsClean(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        assertThat(Ndis.setTimerObject(timer, A_MINUTE, 0, null)).isFalse();
        assertThat(Ndis.setTimerObject(timer, A_MINUTE, 0, null)).isTrue(); // was in the timer queue
        assertThat(Ndis.cancelTimerObject(timer)).isTrue();
        Ndis.freeTimerObject(timer);
        assertThat(kernel.isCrashed()).isFalse();
    }

    // ---- periodic timers: PASSIVE_LEVEL, and the DPC flushed ------------------------------------

    @Test
    void cancellingAPeriodicTimerAtDispatchIsPeriodicTimer(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        Ndis.setTimerObject(timer, A_MINUTE, 60_000, null);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            CrashReport report = assertViolation(kernel, Rule.PeriodicTimer, () -> Ndis.cancelTimerObject(timer));
            assertThat(report.parameters()).containsExactly((long) Rule.PeriodicTimer.id(), 2L, 0L, 0L);
            assertThat(report.message()).contains("periodic timer").contains("PASSIVE_LEVEL");
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void aPeriodicTimerCancellingItselfFromItsFunctionIsPeriodicTimer(Kernel kernel) {
        AtomicReference<NdisTimer> self = new AtomicReference<>();
        NdisTimer timer = Ndis.allocateTimerObject(
                adapter(kernel), (Object c, NdisTimer t) -> Ndis.cancelTimerObject(self.get()), null);
        self.set(timer);
        CrashReport report =
                assertViolation(kernel, Rule.PeriodicTimer, () -> Ndis.setTimerObject(timer, NOW, 60_000, null));
        assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
        assertThat(report.driver()).isEqualTo("timers");
    }

    @Test
    void cancellingAOneShotTimerAtDispatchIsLegal(Kernel kernel) {
        NdisTimer timer = timer(adapter(kernel));
        Ndis.setTimerObject(timer, A_MINUTE, 0, null);
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertThat(Ndis.cancelTimerObject(timer)).isTrue();
        } finally {
            Ke.lowerIrql(old);
        }
        Ndis.freeTimerObject(timer);
    }

    @Test
    void cancellingAPeriodicTimerAtPassiveReturnsOnlyWhenItsFunctionHasFinished(Kernel kernel) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        NdisTimer timer = Ndis.allocateTimerObject(
                adapter(kernel),
                (Object c, NdisTimer t) -> {
                    running.incrementAndGet();
                    entered.countDown();
                    await(release);
                    running.decrementAndGet();
                },
                null);
        Ndis.setTimerObject(timer, NOW, 60_000, null); // fires now, then every minute
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // the function runs, held by the latch

        AtomicReference<Boolean> cancelled = new AtomicReference<>();
        AtomicInteger runningAtReturn = new AtomicInteger(-1);
        Thread canceller = new Thread(() -> {
            cancelled.set(Ndis.cancelTimerObject(timer)); // a PASSIVE_LEVEL thread
            runningAtReturn.set(running.get());
        });
        canceller.start();
        // NdisCancelTimerObject flushes the DPC queues: it waits on a kernel event (Kernel.waitFor: WAITING)
        // while the function runs.
        waitUntil(() -> canceller.getState() == Thread.State.WAITING || !canceller.isAlive());
        assertThat(cancelled.get())
                .as("returned while the timer function was running")
                .isNull();
        release.countDown();
        canceller.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(cancelled.get()).isTrue(); // it was in the timer queue (re-armed for the next minute)
        assertThat(runningAtReturn.get()).isZero();
        assertThat(timer.isSet()).isFalse();
        Ndis.freeTimerObject(timer);
    }

    // ---- one-shot timers: KeCancelTimer's answer ------------------------------------------------

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void anExpiryWhoseDpcIsQueuedIsNotCancelledAndItsFunctionRuns(Kernel kernel) throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        NdisTimer timer = Ndis.allocateTimerObject(adapter(kernel), (Object c, NdisTimer t) -> ran.countDown(), null);
        CountDownLatch release = BusyProcessor.occupy(kernel, 0);
        Ndis.setTimerObject(timer, NOW, 0, null);
        waitUntil(() -> !timer.isSet()); // expired: out of the timer queue, its DPC queued behind the blocker

        assertThat(Ndis.cancelTimerObject(timer)).isFalse(); // not in the timer queue any more
        release.countDown();
        assertThat(ran.await(10, TimeUnit.SECONDS))
                .as("the queued DPC still runs")
                .isTrue();
        Ndis.freeTimerObject(timer); // its function has run: freeing is clean
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void freeingATimerWhoseDpcIsQueuedIsTimerOrDpcInvalid(Kernel kernel) throws Exception {
        NdisTimer timer = timer(adapter(kernel));
        CountDownLatch release = BusyProcessor.occupy(kernel, 0);
        Ndis.setTimerObject(timer, NOW, 0, null);
        waitUntil(() -> !timer.isSet());
        assertThat(Ndis.cancelTimerObject(timer)).isFalse();
        try {
            CrashReport report =
                    assertBugCheck(kernel, BugCheckCode.TIMER_OR_DPC_INVALID, () -> Ndis.freeTimerObject(timer));
            assertThat(report.code().code()).isEqualTo(0xC7);
            assertThat(report.parameters().get(0)).isEqualTo(1L); // a DPC object
            assertThat(report.allocations())
                    .singleElement()
                    .satisfies(site -> assertThat(site.frames().get(0)).contains("TimerObjectTest.timer("));
        } finally {
            release.countDown();
        }
    }
}
