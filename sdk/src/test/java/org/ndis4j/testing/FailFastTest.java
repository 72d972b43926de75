package org.ndis4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.testing.KitRuns.onlyFailure;
import static org.ndis4j.testing.KitRuns.run;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.ndis4j.host.AdapterView;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.testing.KitMiniport.Bug;
import org.ndis4j.verifier.Rule;

/**
 * A bug check fails the running test at once, as its primary failure, whichever thread it happened
 * on: each case runs a deliberately broken test class through JUnit's engine and asserts how it
 * failed — the bug check as the headline, never "timed out waiting for …".
 */
class FailFastTest {

    /** The awaits below would give up after a minute; a test that takes that long did not fail fast. */
    static final Duration PATIENT = Duration.ofSeconds(60);

    // ---- the acceptance case of issue 8 ------------------------------------------------------

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class SleepInADpcWhileTheTestAwaitsLinkUp {
        @Test
        void linkComesUp(Kernel kernel) {
            RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, Bug.SLEEP_IN_DPC));
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
        }
    }

    @Test
    void aPassiveOnlyCallInADpcFailsTheTestWithTheBugCheckNotTheAwaitsTimeout() {
        EngineExecutionResults results = run(SleepInADpcWhileTheTestAwaitsLinkUp.class);
        Throwable failure = onlyFailure(results);
        assertIsTheBugCheck(failure, Rule.Irql_Miniport_Driver_Function, "NdisMSleep", "linkTimerDpc");
        report("NdisMSleep in a DPC", results, (BugCheckFailure) failure);
        System.out.println("[fail-fast] the failure JUnit reports:\n" + failure);
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class WaitEventInADpcWhileTheTestAwaitsLinkUp {
        @Test
        void linkComesUp(Kernel kernel) {
            NdisMiniportAdapterHandle adapter = KitMiniport.start(kernel, Bug.WAIT_EVENT_IN_DPC);
            Await.until(
                    "link up",
                    PATIENT,
                    () -> AdapterView.of(adapter).linkState().isConnected());
        }
    }

    @Test
    void aWaitWithATimeoutInADpcFailsTheGenericAwaitWithTheBugCheck() {
        EngineExecutionResults results = run(WaitEventInADpcWhileTheTestAwaitsLinkUp.class);
        Throwable failure = onlyFailure(results);
        assertIsTheBugCheck(failure, Rule.Irql_Miscellaneous_Function, "NdisWaitEvent", "linkTimerDpc");
        report("NdisWaitEvent in a DPC", results, (BugCheckFailure) failure);
    }

    // ---- other threads -----------------------------------------------------------------------

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class AWorkItemThrowsWhileTheTestAwaitsLinkUp {
        @Test
        void linkComesUp(Kernel kernel) {
            RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, Bug.THROW_IN_WORK_ITEM));
            protocol.awaitLinkState("link up", NdisLinkState::isConnected);
        }
    }

    @Test
    void aCrashOnAWorkerThreadFailsTheTest() {
        Throwable failure = onlyFailure(run(AWorkItemThrowsWhileTheTestAwaitsLinkUp.class));
        assertThat(failure).isInstanceOf(BugCheckFailure.class);
        assertThat(failure.getMessage())
                .startsWith("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x0000007E)")
                .contains("[driver kitmp, thread ")
                .contains("CriticalWorkQueue")
                .contains("PHY read failed");
        assertThat(stackOf(failure.getCause())).anyMatch(f -> f.getMethodName().equals("readLink"));
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class TheTestThreadBreaksARule {
        @Test
        void sleepsAtDispatchLevel(Kernel kernel) {
            KitMiniport.start(kernel, Bug.NONE);
            CurrentThread.enter(kernel);
            Ke.raiseIrql(Irql.DISPATCH_LEVEL);
            NdisM.sleep(10); // throws the bug check into the test
        }
    }

    @Test
    void aCrashOnTheTestThreadKeepsTheOriginalBugCheckAsTheCause() {
        Throwable failure = onlyFailure(run(TheTestThreadBreaksARule.class));
        assertThat(failure).isInstanceOf(BugCheckFailure.class);
        assertThat(failure.getMessage())
                .startsWith("DRIVER_VERIFIER_DETECTED_VIOLATION (0x000000C4) rule Irql_Miniport_Driver_Function")
                .contains("thread test-sleepsAtDispatchLevel");
        // The exception NdisMSleep threw into the test, with the test's own stack.
        assertThat(failure.getCause()).isInstanceOf(BugCheckException.class);
        assertThat(stackOf(failure.getCause())).anyMatch(f -> f.getMethodName().equals("sleepsAtDispatchLevel"));
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class ANettyThreadCallsInWrongly {
        @Test
        void awaitsSomethingElse(Kernel kernel) {
            KitMiniport.start(kernel, Bug.NONE);
            DefaultEventExecutor device = new DefaultEventExecutor(); // a Netty thread, as a device's I/O thread
            try {
                device.execute(() -> {
                    CurrentThread.enter(kernel);
                    Ke.raiseIrql(Irql.DISPATCH_LEVEL);
                    try {
                        NdisM.sleep(10); // NdisMSleep at DISPATCH_LEVEL, on a thread the kernel did not make
                    } catch (BugCheckException stopped) {
                        // The kernel recorded it; the device thread carries on.
                    }
                });
                Await.until("something that never happens", PATIENT, () -> false);
            } finally {
                device.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCrashOnANettyThreadFailsTheTestThatAwaits() {
        Throwable failure = onlyFailure(run(ANettyThreadCallsInWrongly.class));
        assertThat(failure).isInstanceOf(BugCheckFailure.class);
        assertThat(failure.getMessage())
                .startsWith("DRIVER_VERIFIER_DETECTED_VIOLATION (0x000000C4) rule Irql_Miniport_Driver_Function")
                .contains("thread defaultEventExecutor")
                .doesNotContain("timed out");
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class TheTestBlocksInAWaitOfItsOwn {
        @Test
        void waitsOnALatch(Kernel kernel) throws InterruptedException {
            KitMiniport.start(kernel, Bug.SLEEP_IN_DPC);
            new CountDownLatch(1).await(); // not a wait of the kit: the extension interrupts it
        }
    }

    @Test
    void aTestBlockedOutsideTheKitIsInterruptedAndFailsWithTheBugCheck() {
        Throwable failure = onlyFailure(run(TheTestBlocksInAWaitOfItsOwn.class));
        assertThat(failure).isInstanceOf(BugCheckFailure.class);
        assertThat(failure.getMessage()).startsWith("DRIVER_VERIFIER_DETECTED_VIOLATION (0x000000C4)");
        assertThat(failure.getSuppressed()).anyMatch(t -> t instanceof InterruptedException);
    }

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class ACrashInBeforeEach {
        NdisMiniportAdapterHandle adapter;

        @BeforeEach
        void start(Kernel kernel) {
            adapter = KitMiniport.start(kernel, Bug.SLEEP_IN_DPC);
            Await.until(
                    "link up",
                    PATIENT,
                    () -> AdapterView.of(adapter).linkState().isConnected());
        }

        @Test
        void neverRuns() {
            throw new AssertionError("the test ran after its @BeforeEach failed");
        }
    }

    @Test
    void aCrashDuringBeforeEachFailsTheTestWithTheBugCheck() {
        Throwable failure = onlyFailure(run(ACrashInBeforeEach.class));
        assertIsTheBugCheck(failure, Rule.Irql_Miniport_Driver_Function, "NdisMSleep", "linkTimerDpc");
    }

    // ---- a crash the test expects ------------------------------------------------------------

    @ExtendWith(KernelExtension.class)
    @KernelOptions(timeout = "2m")
    static class ExpectsTheCrash {
        @Test
        void expectsIt(Kernel kernel) {
            BugCheckAssertions.assertViolation(kernel, Rule.Irql_Miniport_Driver_Function, () -> {
                RecordingProtocol protocol = RecordingProtocol.bind(KitMiniport.start(kernel, Bug.SLEEP_IN_DPC));
                protocol.awaitLinkState("link up", NdisLinkState::isConnected); // ends with the crash
            });
        }
    }

    @Test
    void aCrashTheTestExpectsDoesNotFailIt() {
        EngineExecutionResults results = run(ExpectsTheCrash.class);
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @Test
    void theCauseCarriesTheFaultingThreadsStack() {
        StackTraceElement frame = BugCheckFailure.frame("java.base/java.lang.Thread.run(Thread.java:840)");
        assertThat(frame.getModuleName()).isEqualTo("java.base");
        assertThat(frame.getClassName()).isEqualTo("java.lang.Thread");
        assertThat(frame.getMethodName()).isEqualTo("run");
        assertThat(frame.getFileName()).isEqualTo("Thread.java");
        assertThat(frame.getLineNumber()).isEqualTo(840);
        StackTraceElement app = BugCheckFailure.frame("org.ndis4j.ndis.NdisM.sleep(NdisM.java:130)");
        assertThat(app.getModuleName()).isNull();
        assertThat(app.getClassName()).isEqualTo("org.ndis4j.ndis.NdisM");
        assertThat(app.toString()).isEqualTo("org.ndis4j.ndis.NdisM.sleep(NdisM.java:130)");
        assertThat(BugCheckFailure.frame("jdk.internal.misc.Unsafe.park(Native Method)")
                        .isNativeMethod())
                .isTrue();
    }

    // ---- helpers -----------------------------------------------------------------------------

    static void assertIsTheBugCheck(Throwable failure, Rule rule, String call, String routine) {
        assertThat(failure).isInstanceOf(BugCheckFailure.class);
        String headline = failure.getMessage().lines().findFirst().orElseThrow();
        assertThat(headline)
                .startsWith("DRIVER_VERIFIER_DETECTED_VIOLATION (0x000000C4) rule " + rule.name() + ": ")
                .contains(call)
                .contains("[driver kitmp, thread ")
                .contains("-cpu");
        assertThat(failure.getMessage())
                .contains("*** STOP: 0x000000C4")
                .contains("Rule:      " + rule.name())
                .contains("IRQL:      DISPATCH_LEVEL")
                .doesNotContain("timed out");
        assertThat(((BugCheckFailure) failure).report().code())
                .isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
        // The cause's stack is the DPC's, where the rule was broken.
        assertThat(failure.getCause()).isInstanceOf(BugCheckException.class);
        assertThat(stackOf(failure.getCause())).anyMatch(f -> f.getMethodName().equals(routine));
        assertThat(failure.getSuppressed())
                .noneMatch(t -> String.valueOf(t.getMessage()).contains("timed out"));
    }

    static List<StackTraceElement> stackOf(Throwable t) {
        return Arrays.asList(t.getStackTrace());
    }

    /** Prints how long the broken test took to fail (the "within a second"; not asserted). */
    static void report(String what, EngineExecutionResults results, BugCheckFailure failure) {
        System.out.println("[fail-fast] " + what + ": the test failed "
                + Duration.between(failure.report().time(), KitRuns.firstTestEnd(results))
                        .toMillis()
                + " ms after the bug check, "
                + KitRuns.firstTestDuration(results).toMillis()
                + " ms after it started");
    }
}
