package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.await;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BusyProcessor;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

/** Interrupt delivery: ISR at DIRQL, DPC at DISPATCH_LEVEL, NdisMQueueDpcEx, synchronization, deregistration. */
@ExtendWith(KernelExtension.class)
@KernelOptions(dpcTimeoutMillis = 60_000) // some tests park a DPC or ISR on purpose
class InterruptTest {

    static final long WAIT_SECONDS = 10;

    @Test
    void isrRunsAtDirqlOnAProcessorThenItsDpcAtDispatchWithThrottleParameters(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        AtomicInteger handled = new AtomicInteger();
        miniport.onDpc = (a, ctx, throttle) -> handled.set(a.pendingCauses.getAndSet(0));

        device.assertCause(InterruptTestDevice.CAUSE_RX | InterruptTestDevice.CAUSE_TX); // from the test thread

        NdisInterrupt interrupt = miniport.last.interrupt;
        waitUntil(() -> interrupt.dpcsRun() == 1);
        assertThat(miniport.isrSeen).singleElement().asString().startsWith("DIRQL PROCESSOR cpu");
        String isrCpu =
                miniport.isrSeen.get(0).substring(miniport.isrSeen.get(0).lastIndexOf(' '));
        // The default DPC runs on the ISR's processor, with MaxNblsToIndicate in and MoreNblsPending clear.
        assertThat(miniport.dpcSeen)
                .containsExactly("DISPATCH_LEVEL PROCESSOR" + isrCpu + " ctx=null max="
                        + NdisInterrupt.MAX_NBLS_TO_INDICATE + " more=false");
        assertThat(handled.get()).isEqualTo(InterruptTestDevice.CAUSE_RX | InterruptTestDevice.CAUSE_TX);
        assertThat(interrupt.interruptsServiced()).isEqualTo(1);
        assertThat(interrupt.interruptsNotRecognized()).isZero();
        assertThat(interrupt.adapterHandle()).isSameAs(adapter);
        assertThat(interrupt.kind()).isEqualTo(HandleKind.INTERRUPT);
    }

    @Test
    void anIsrThatSaysNotOursIsCountedAndQueuesNoDpc(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        NdisInterrupt interrupt = miniport.last.interrupt;

        device.raiseSpurious(); // cause register is 0: the ISR answers "not recognized"

        waitUntil(() -> interrupt.interruptsServiced() == 1);
        assertThat(interrupt.interruptsNotRecognized()).isEqualTo(1);
        assertThat(interrupt.dpcsRun()).isZero();
        assertThat(miniport.dpcSeen).isEmpty();
        assertThat(device.line.unclaimed()).isZero(); // delivered to the ISR, which said "not mine"
    }

    @Test
    void anInterruptRaisedBeforeConnectIsUnclaimedAndCounted(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        device.assertCause(InterruptTestDevice.CAUSE_RX); // nobody registered yet

        assertThat(device.line.unclaimed()).isEqualTo(1);
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        NdisInterrupt interrupt = miniport.last.interrupt;
        assertThat(device.line.isConnected()).isTrue();
        assertThat(interrupt.interruptsServiced()).isZero(); // a lost edge is not replayed

        device.assertCause(InterruptTestDevice.CAUSE_TX); // the next one finds both causes latched
        waitUntil(() -> interrupt.dpcsRun() == 1);
        assertThat(device.line.unclaimed()).isEqualTo(1);
        assertThat(device.line.raised()).isEqualTo(2);
    }

    @Test
    @KernelOptions(processors = 1, dpcTimeoutMillis = 60_000)
    void raisesWhileTheIsrWaitsAreCoalescedIntoOneIsr(Kernel kernel) throws Exception {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        NdisInterrupt interrupt = miniport.last.interrupt;
        AtomicInteger handled = new AtomicInteger();
        miniport.onDpc = (a, ctx, throttle) -> handled.set(a.pendingCauses.getAndSet(0));
        CountDownLatch release = BusyProcessor.occupy(kernel, 0);

        device.assertCause(InterruptTestDevice.CAUSE_RX);
        device.assertCause(InterruptTestDevice.CAUSE_TX);
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        assertThat(interrupt.raisesCoalesced()).isEqualTo(2);
        release.countDown();

        waitUntil(() -> interrupt.dpcsRun() == 1);
        assertThat(interrupt.interruptsServiced()).isEqualTo(1);
        assertThat(handled.get()).isEqualTo(InterruptTestDevice.CAUSE_RX | InterruptTestDevice.CAUSE_TX);
    }

    @Test
    @KernelOptions(processors = 2, dpcTimeoutMillis = 60_000)
    void queueDpcExReturnsTheProcessorsWhereADpcWasQueued(Kernel kernel) throws Exception {
        InterruptMiniport miniport = new InterruptMiniport();
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), new InterruptTestDevice("nic0").resources());
        NdisInterrupt interrupt = miniport.last.interrupt;
        List<String> contexts = new CopyOnWriteArrayList<>();
        miniport.onDpc = (a, ctx, throttle) -> contexts.add(ctx + "@cpu" + Ke.getCurrentProcessorNumber());
        CountDownLatch release0 = BusyProcessor.occupy(kernel, 0);
        CountDownLatch release1 = BusyProcessor.occupy(kernel, 1);

        assertThat(NdisM.queueDpcEx(interrupt, 0, 0b01, "first")).isEqualTo(0b01);
        // Already queued on processor 0: only processor 1 gets one now.
        assertThat(NdisM.queueDpcEx(interrupt, 0, 0b11, "second")).isEqualTo(0b10);
        assertThat(NdisM.queueDpcEx(interrupt, 0, 0b11, "third")).isZero();
        assertThat(NdisM.queueDpcEx(interrupt, 0, 0, "none")).isZero();
        release0.countDown();
        release1.countDown();

        waitUntil(() -> interrupt.dpcsRun() == 2);
        assertThat(contexts).containsExactlyInAnyOrder("first@cpu0", "second@cpu1");
        // Once they ran, both processors take one again.
        assertThat(NdisM.queueDpcEx(interrupt, 0, 0b11, "again")).isEqualTo(0b11);
        waitUntil(() -> interrupt.dpcsRun() == 4);
    }

    @Test
    void anIsrMayQueueItsDpcsWithQueueDpcExAtDirql(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        AtomicReference<String> queued = new AtomicReference<>();
        miniport.onIsr = a -> {
            a.registers.read32(InterruptTestDevice.REG_ICR);
            long mask = NdisM.queueDpcEx(a.interrupt, 0, 1L << 1, "from-isr");
            queued.set(Ke.getCurrentIrql() + " " + mask);
            return MiniportInterruptResult.RECOGNIZED_NO_DPC; // the NDIS 6.20 way
        };
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        // The DPC on processor 1 may finish before the ISR on processor 0 records what it saw.
        waitUntil(() -> miniport.last.interrupt.dpcsRun() == 1 && queued.get() != null);
        assertThat(queued.get()).isEqualTo("DIRQL 2");
        assertThat(miniport.dpcSeen)
                .singleElement()
                .asString()
                .startsWith("DISPATCH_LEVEL PROCESSOR cpu1 ctx=from-isr");
    }

    @Test
    void targetProcessorsFromTheIsrQueueTheDpcThere(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        miniport.onIsr = a -> {
            a.registers.read32(InterruptTestDevice.REG_ICR);
            return MiniportInterruptResult.recognized(0b11);
        };
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> miniport.last.interrupt.dpcsRun() == 2);
        assertThat(miniport.dpcSeen)
                .extracting(s -> s.substring(0, s.indexOf(" ctx")))
                .containsExactlyInAnyOrder("DISPATCH_LEVEL PROCESSOR cpu0", "DISPATCH_LEVEL PROCESSOR cpu1");
    }

    @Test
    void moreNblsPendingRunsTheDpcAgain(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        AtomicInteger backlog = new AtomicInteger(3 * NdisInterrupt.MAX_NBLS_TO_INDICATE - 1);
        miniport.onDpc = (a, ctx, throttle) -> {
            int left = backlog.addAndGet(-Math.min(backlog.get(), throttle.maxNblsToIndicate()));
            throttle.setMoreNblsPending(left > 0);
        };
        device.assertCause(InterruptTestDevice.CAUSE_RX);
        waitUntil(() -> miniport.last.interrupt.dpcsRun() == 3);
        assertThat(backlog.get()).isZero();
        assertThat(miniport.dpcSeen).hasSize(3).allMatch(s -> s.endsWith("more=false")); // reset for every call
        assertThat(miniport.isrSeen).hasSize(1);
    }

    @Test
    void synchronizeWithInterruptExRunsAtDirqlAndExcludesTheIsr(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        NdisInterrupt interrupt = miniport.last.interrupt;
        AtomicReference<String> inside = new AtomicReference<>();

        boolean result = NdisM.synchronizeWithInterruptEx(
                interrupt,
                0,
                (String ctx) -> {
                    device.assertCause(InterruptTestDevice.CAUSE_RX);
                    // The ISR started on a processor and now waits for the interrupt lock this function holds.
                    waitUntil(interrupt::isIsrWaitingForLock);
                    inside.set(ctx + " " + Ke.getCurrentIrql() + " isrs=" + interrupt.interruptsServiced() + " isrSeen="
                            + miniport.isrSeen.size());
                    return true;
                },
                "sync");

        assertThat(result).isTrue();
        assertThat(inside.get()).isEqualTo("sync DIRQL isrs=0 isrSeen=0");
        assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL); // restored
        waitUntil(() -> interrupt.dpcsRun() == 1);
        assertThat(NdisM.synchronizeWithInterruptEx(interrupt, 0, (Object c) -> false, null))
                .isFalse();
    }

    @Test
    void deregistrationWaitsForARunningDpc(Kernel kernel) throws Exception {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
        NdisInterrupt interrupt = miniport.last.interrupt;
        CountDownLatch dpcStarted = new CountDownLatch(1);
        CountDownLatch letDpcFinish = new CountDownLatch(1);
        miniport.onDpc = (a, ctx, throttle) -> {
            dpcStarted.countDown();
            await(letDpcFinish);
        };
        // The device raises from a thread of its own: a raising thread may run the ISR and this parked
        // DPC itself (the processor is idle), and the test thread must stay free to remove the device.
        Thread deviceThread = new Thread(() -> device.assertCause(InterruptTestDevice.CAUSE_RX), "device");
        deviceThread.start();
        assertThat(dpcStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        Thread remover = new Thread(() -> PnpManager.of(kernel).removeDevice(adapter), "remover");
        remover.start();
        waitUntil(interrupt::isDeregistrationWaiting);
        assertThat(device.line.isConnected()).isFalse(); // disconnected first, then it waits
        assertThat(interrupt.isRegistered()).isFalse();
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused); // halt has not finished

        letDpcFinish.countDown();
        remover.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        deviceThread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(remover.isAlive()).isFalse();
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(interrupt.dpcsRun()).isEqualTo(1);

        device.assertCause(InterruptTestDevice.CAUSE_RX); // after deregistration: unclaimed
        assertThat(device.line.unclaimed()).isEqualTo(1);
        assertThat(interrupt.interruptsServiced()).isEqualTo(1);
    }
}
