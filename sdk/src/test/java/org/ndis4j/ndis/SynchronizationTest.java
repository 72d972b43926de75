package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/** Spin locks, events and timers. */
@ExtendWith(KernelExtension.class)
class SynchronizationTest {

    private static NdisMiniportAdapterHandle adapter(Kernel kernel) {
        return PnpManager.of(kernel)
                .addDevice(new TestMiniport().load(kernel, "sync"), TestMiniport.trivialDevice("d"));
    }

    @Test
    void spinLockRaisesToDispatchAndRestores(Kernel kernel) {
        CurrentThread.enter(kernel);
        NdisSpinLock lock = Ndis.allocateSpinLock();
        Ndis.acquireSpinLock(lock);
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.DISPATCH_LEVEL);
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        Ndis.releaseSpinLock(lock);
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
        Ndis.freeSpinLock(lock);
    }

    @Test
    void dprAcquireAtPassiveIsAViolation(Kernel kernel) {
        CurrentThread.enter(kernel);
        NdisSpinLock lock = Ndis.allocateSpinLock();
        assertViolation(kernel, Rule.Irql_Synch_Function, () -> Ndis.dprAcquireSpinLock(lock));
    }

    @Test
    void acquiringASpinLockTwiceIsAViolation(Kernel kernel) {
        CurrentThread.enter(kernel);
        NdisSpinLock lock = Ndis.allocateSpinLock();
        Ndis.acquireSpinLock(lock);
        try {
            assertViolation(kernel, Rule.SpinLock, () -> Ndis.acquireSpinLock(lock));
        } finally {
            Ndis.releaseSpinLock(lock);
        }
    }

    @Test
    void eventWaitAtPassiveAndViolationAtDispatch(Kernel kernel) throws Exception {
        CurrentThread.enter(kernel);
        NdisEvent event = Ndis.initializeEvent();
        assertThat(Ndis.waitEvent(event, 1)).isFalse();
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "t", () -> Ndis.setEvent(event));
        assertThat(Ndis.waitEvent(event, 10_000)).isTrue();
        Ndis.resetEvent(event);
        assertThat(event.isSignaled()).isFalse();
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertViolation(kernel, Rule.Irql_Miscellaneous_Function, () -> Ndis.waitEvent(event, 1));
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void timerFiresAsADpcAndPeriodicTimersRepeatUntilCancelled(Kernel kernel) throws Exception {
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        NdisTimer timer = Ndis.allocateTimerObject(
                adapter,
                (String ctx, NdisTimer t) -> {
                    fired.add(ctx + "@" + Ke.getCurrentIrql());
                    three.countDown();
                },
                "tick");
        assertThat(Ndis.setTimerObject(timer, -10_000, 1, null)).isFalse(); // 1 ms, then every 1 ms
        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        Ndis.cancelTimerObject(timer);
        assertThat(timer.isSet()).isFalse();
        assertThat(fired).allMatch(s -> s.equals("tick@DISPATCH_LEVEL"));
        Ndis.freeTimerObject(timer);
    }

    @Test
    void cancelledTimerDoesNotFire(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        List<String> fired = new CopyOnWriteArrayList<>();
        NdisTimer timer = Ndis.allocateTimerObject(adapter, (Object c, NdisTimer t) -> fired.add("x"), null);
        Ndis.setTimerObject(timer, -10_000_000L * 60, 0, null); // a minute away
        assertThat(Ndis.cancelTimerObject(timer)).isTrue();
        assertThat(Ndis.cancelTimerObject(timer)).isFalse();
        Ndis.freeTimerObject(timer);
        assertThat(fired).isEmpty();
    }

    @Test
    void timerLeakedAtHaltIsReported(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = adapter(kernel);
        Ndis.allocateTimerObject(adapter, (Object c, NdisTimer t) -> {}, null);
        assertViolation(
                kernel, Rule.TimerObject_Leak, () -> PnpManager.of(kernel).removeDevice(adapter));
    }
}
