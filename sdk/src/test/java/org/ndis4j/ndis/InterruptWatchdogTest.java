package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.testing.BugCheckAssertions;

/**
 * The DPC watchdog against interrupt handlers: a single DPC or ISR over the time-out is 0x133 with
 * parameter 1 = 0; a processor kept at DISPATCH_LEVEL by back-to-back DPCs past the cumulative
 * limit is 0x133 with parameter 1 = 1. Each test boots its own machine with short limits.
 */
class InterruptWatchdogTest {

    private static Kernel boot(String name, Duration single, Duration cumulative) {
        return Kernel.boot(KernelConfig.defaults().withName(name).withDpcWatchdog(single, cumulative));
    }

    @Test
    void aSpinningInterruptDpcIsAWatchdogViolationWithParameter0() {
        try (Kernel kernel = boot("spin-dpc", Duration.ofMillis(100), Duration.ofSeconds(30))) {
            InterruptMiniport miniport = new InterruptMiniport();
            InterruptTestDevice device = new InterruptTestDevice("nic0");
            PnpManager.of(kernel).addDevice(miniport.load(kernel, "spinner"), device.resources());
            miniport.onDpc = (a, ctx, throttle) -> {
                for (; ; ) {
                    Ndis.stallExecution(10); // ends with the crash
                }
            };
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel,
                    BugCheckCode.DPC_WATCHDOG_VIOLATION,
                    () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.parameters().get(1)).isGreaterThanOrEqualTo(100L); // ran past the limit, in ms ticks
            assertThat(report.parameters().get(2)).isEqualTo(100L); // the limit
            assertThat(report.driver()).isEqualTo("spinner");
            assertThat(report.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(report.stack()).anyMatch(frame -> frame.contains("InterruptWatchdogTest"));
        }
    }

    @Test
    void aSpinningIsrIsAWatchdogViolationAtDirql() {
        try (Kernel kernel = boot("spin-isr", Duration.ofMillis(100), Duration.ofSeconds(30))) {
            InterruptMiniport miniport = new InterruptMiniport();
            InterruptTestDevice device = new InterruptTestDevice("nic0");
            PnpManager.of(kernel).addDevice(miniport.load(kernel, "spinner"), device.resources());
            miniport.onIsr = a -> {
                for (; ; ) {
                    Ndis.stallExecution(10);
                }
            };
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel,
                    BugCheckCode.DPC_WATCHDOG_VIOLATION,
                    () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
            assertThat(report.parameters().get(0)).isEqualTo(0L);
            assertThat(report.irql()).isEqualTo(Irql.DIRQL);
        }
    }

    @Test
    void backToBackDpcsPastTheCumulativeLimitAreAWatchdogViolationWithParameter1() {
        // Each DPC run is short (2 ms, far under the 1 s single limit) but says MoreNblsPending, so NDIS
        // queues it again before the processor drains its queue: it never drops below DISPATCH_LEVEL.
        try (Kernel kernel = boot("back-to-back", Duration.ofSeconds(1), Duration.ofMillis(300))) {
            InterruptMiniport miniport = new InterruptMiniport();
            InterruptTestDevice device = new InterruptTestDevice("nic0");
            PnpManager.of(kernel).addDevice(miniport.load(kernel, "flooder"), device.resources());
            miniport.onDpc = (a, ctx, throttle) -> {
                Ndis.stallExecution(2_000);
                throttle.setMoreNblsPending(true);
            };
            CrashReport report = BugCheckAssertions.assertBugCheck(
                    kernel,
                    BugCheckCode.DPC_WATCHDOG_VIOLATION,
                    () -> device.assertCause(InterruptTestDevice.CAUSE_RX));
            assertThat(report.parameters()).containsExactly(1L, 300L, 0L, 0L); // Windows: 1, watchdog period, ...
            assertThat(report.message()).contains("stayed at DISPATCH_LEVEL or above");
            assertThat(miniport.last.interrupt.dpcsRun()).isGreaterThan(10);
        }
    }
}
