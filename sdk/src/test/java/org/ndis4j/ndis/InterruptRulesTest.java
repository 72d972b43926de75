package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.MiniportInterruptResult;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/** The verifier's interrupt rules: IRQL, registration state, leaks, use after deregistration, bad input. */
@ExtendWith(KernelExtension.class)
class InterruptRulesTest {

    private static NdisMiniportAdapterHandle add(
            Kernel kernel, InterruptMiniport miniport, InterruptTestDevice device) {
        return PnpManager.of(kernel).addDevice(miniport.load(kernel, "irq"), device.resources());
    }

    @Test
    void registerAtDispatchIsAnIrqlViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.registerInInitialize = false;
        miniport.onInitialize = a -> at(Irql.DISPATCH_LEVEL, () -> NdisM.registerInterruptEx(a.handle, a, miniport));
        DriverObject driver = miniport.load(kernel, "irq");
        CrashReport report = assertViolation(
                kernel,
                Rule.Irql_Interrupt_Function,
                () -> PnpManager.of(kernel).addDevice(driver, new InterruptTestDevice("nic0").resources()));
        assertThat(report.parameters())
                .containsExactly(
                        (long) Rule.Irql_Interrupt_Function.id(),
                        (long) Irql.DISPATCH_LEVEL.level(),
                        (long) Irql.PASSIVE_LEVEL.level(),
                        0L);
        assertThat(report.message()).contains("NdisMRegisterInterruptEx called at DISPATCH_LEVEL");
    }

    @Test
    void deregisterAtDispatchIsAnIrqlViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        CrashReport report = assertViolation(
                kernel,
                Rule.Irql_Interrupt_Function,
                () -> at(Irql.DISPATCH_LEVEL, () -> NdisM.deregisterInterruptEx(interrupt)));
        assertThat(report.message()).contains("NdisMDeregisterInterruptEx called at DISPATCH_LEVEL");
    }

    @Test
    void queueDpcExAboveDirqlIsAnIrqlViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        CrashReport report = assertViolation(
                kernel,
                Rule.Irql_Interrupt_Function,
                () -> at(Irql.HIGH_LEVEL, () -> NdisM.queueDpcEx(interrupt, 0, 1, null)));
        assertThat(report.parameters().get(2)).isEqualTo((long) Irql.DIRQL.level());
    }

    @Test
    void synchronizeAboveDirqlIsAnIrqlViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        assertViolation(
                kernel,
                Rule.Irql_Interrupt_Function,
                () -> at(
                        Irql.HIGH_LEVEL,
                        () -> NdisM.synchronizeWithInterruptEx(interrupt, 0, (Object c) -> true, null)));
    }

    @Test
    void queueDpcExAndSynchronizeAreLegalAtDirql(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        at(Irql.DIRQL, () -> {
            assertThat(NdisM.queueDpcEx(interrupt, 0, 1, "x")).isEqualTo(1);
            assertThat(NdisM.synchronizeWithInterruptEx(
                            interrupt, 0, (Object c) -> Ke.getCurrentIrql() == Irql.DIRQL, null))
                    .isTrue();
            assertThat(Ke.getCurrentIrql()).isEqualTo(Irql.DIRQL);
        });
        waitUntil(() -> interrupt.dpcsRun() == 1);
    }

    @Test
    void interruptStillRegisteredAtTheEndOfHaltIsALeak(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.deregisterInHalt = false;
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        NdisMiniportAdapterHandle adapter = add(kernel, miniport, device);
        CrashReport report = assertViolation(
                kernel, Rule.Interrupt_LeakAtHalt, () -> PnpManager.of(kernel).removeDevice(adapter));
        assertThat(report.message()).contains("was not deregistered by the end of MiniportHaltEx");
        assertThat(device.line.isConnected()).isFalse();
    }

    @Test
    void aFailedInitializeThatKeepsItsInterruptLeaksIt(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.initializeStatus = NdisStatus.RESOURCES;
        DriverObject driver = miniport.load(kernel, "irq");
        CrashReport report = assertViolation(
                kernel,
                Rule.Interrupt_LeakAtHalt,
                () -> PnpManager.of(kernel).addDevice(driver, new InterruptTestDevice("nic0").resources()));
        assertThat(report.message()).contains("by the end of a failed MiniportInitializeEx");
    }

    @Test
    void registeringOutsideInitializeIsAViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.registerInInitialize = false;
        NdisMiniportAdapterHandle adapter = add(kernel, miniport, new InterruptTestDevice("nic0"));
        CrashReport report = assertViolation(
                kernel,
                Rule.Interrupt_RegisterState,
                () -> NdisM.registerInterruptEx(adapter, miniport.last, miniport));
        assertThat(report.message()).contains("outside MiniportInitializeEx (adapter is Running)");
    }

    @Test
    void registeringTwiceIsAViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        miniport.onInitialize = a -> NdisM.registerInterruptEx(a.handle, a, miniport);
        DriverObject driver = miniport.load(kernel, "irq");
        CrashReport report = assertViolation(
                kernel,
                Rule.Interrupt_RegisterState,
                () -> PnpManager.of(kernel).addDevice(driver, new InterruptTestDevice("nic0").resources()));
        assertThat(report.message()).contains("a second time");
    }

    @Test
    void useAfterDeregistrationIsAViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        NdisMiniportAdapterHandle adapter = add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        PnpManager.of(kernel).removeDevice(adapter);
        CrashReport report = assertViolation(
                kernel, Rule.Interrupt_UseAfterDeregister, () -> NdisM.queueDpcEx(interrupt, 0, 1, null));
        assertThat(report.message()).contains("NdisMQueueDpcEx on an interrupt that was deregistered");
    }

    @Test
    void deregisteringTwiceIsAViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        NdisMiniportAdapterHandle adapter = add(kernel, miniport, new InterruptTestDevice("nic0"));
        NdisInterrupt interrupt = miniport.last.interrupt;
        PnpManager.of(kernel).removeDevice(adapter);
        assertViolation(kernel, Rule.Interrupt_UseAfterDeregister, () -> NdisM.deregisterInterruptEx(interrupt));
    }

    @Test
    void targetProcessorsThatDoNotExistAreRefused(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        CrashReport report = assertViolation(
                kernel,
                Rule.Interrupt_InvalidParameter,
                () -> NdisM.queueDpcEx(miniport.last.interrupt, 0, 0b100, null));
        assertThat(report.message()).contains("TargetProcessors 0x4").contains("only 2 processor(s)");
    }

    @Test
    void aMessageIdOnALineBasedInterruptIsRefused(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        add(kernel, miniport, new InterruptTestDevice("nic0"));
        CrashReport report = assertViolation(
                kernel,
                Rule.Interrupt_InvalidParameter,
                () -> NdisM.synchronizeWithInterruptEx(miniport.last.interrupt, 3, (Object c) -> true, null));
        assertThat(report.message()).contains("MessageId 3 on a line-based interrupt");
    }

    @Test
    void synchronizingFromTheOwnIsrIsRefusedBeforeItDeadlocks(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        add(kernel, miniport, device);
        miniport.onIsr = a -> {
            NdisM.synchronizeWithInterruptEx(a.interrupt, 0, (Object c) -> true, null);
            return MiniportInterruptResult.RECOGNIZED_NO_DPC;
        };
        CrashReport report = assertViolation(
                kernel, Rule.Interrupt_InvalidParameter, () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
        assertThat(report.irql()).isEqualTo(Irql.DIRQL);
        assertThat(report.driver()).isEqualTo("irq");
        assertThat(report.message()).contains("already holds the interrupt lock");
    }

    @Test
    void anIsrThatReturnsNullIsAViolation(Kernel kernel) {
        InterruptMiniport miniport = new InterruptMiniport();
        InterruptTestDevice device = new InterruptTestDevice("nic0");
        add(kernel, miniport, device);
        miniport.onIsr = a -> null;
        assertViolation(
                kernel, Rule.Interrupt_InvalidParameter, () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
    }

    private static void at(Irql irql, Runnable r) {
        Irql old = Ke.raiseIrql(irql);
        try {
            r.run();
        } finally {
            Ke.lowerIrql(old);
        }
    }
}
