package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.HangPolicy;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.kernel.Simulation;
import org.ndis4j.kernel.SimulationOptions;
import org.ndis4j.kernel.SimulationResult;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * What a hung machine becomes under the deterministic scheduler. With
 * {@link HangPolicy#REPORT_DEADLOCK} (the default) a run where nothing can move and only watchdog
 * deadlines are left is a deadlock report; with {@link HangPolicy#FIRE_WATCHDOGS} the virtual clock
 * jumps to those deadlines and the machine's own watchdogs stop it, as Windows would: a DPC that
 * never ends is DPC_WATCHDOG_VIOLATION (0x133) after the DPC time-out, an OID request the miniport
 * never completes is BUGCODE_NDIS_DRIVER (0x7C, 0x25) after NDIS's watchdog — in virtual time, so
 * the ten-minute default costs no wall time.
 */
class HangPolicyDeterministicTest {

    private static final Duration DPC_TIMEOUT = Duration.ofMillis(500);
    private static final Duration NDIS_WATCHDOG = Duration.ofMinutes(10);

    private static final KernelConfig MACHINE = KernelConfig.defaults()
            .withName("hangs")
            .withProcessors(2)
            .withWorkers(1, 1)
            .withDpcWatchdog(DPC_TIMEOUT, Duration.ofSeconds(10))
            .withNdisWatchdog(NDIS_WATCHDOG)
            .withScheduling(KernelConfig.Scheduling.DETERMINISTIC);

    /** The machine of the last run, to read its crash report after the run. */
    private final AtomicReference<Kernel> machine = new AtomicReference<>();

    private SimulationResult run(long seed, HangPolicy hangs, Callable<Object> body) {
        machine.set(null);
        Simulation sim = Simulation.start(
                SimulationOptions.seed("HangPolicyDeterministicTest", seed).withHangs(hangs));
        Throwable failure = null;
        try {
            sim.call(body);
        } catch (Throwable t) {
            failure = t;
        }
        return sim.finish(failure);
    }

    /** Two DPCs on two processors take two spin locks in opposite orders (ABBA): some schedules hang. */
    private Callable<Object> lockOrderInversion() {
        return () -> {
            Kernel kernel = Kernel.boot(MACHINE);
            machine.set(kernel);
            // Allocated on a thread of the machine, as a driver does (in initialize): the machine's locks.
            NdisSpinLock[] locks = new NdisSpinLock[2];
            KEvent allocated = kernel.initializeEvent(false);
            kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, "abba", () -> {
                locks[0] = Ndis.allocateSpinLock();
                locks[1] = Ndis.allocateSpinLock();
                allocated.set();
            });
            kernel.waitFor("the locks", allocated, -1, WaitKind.WORK);
            NdisSpinLock a = locks[0];
            NdisSpinLock b = locks[1];
            KEvent firstDone = kernel.initializeEvent(false);
            KEvent secondDone = kernel.initializeEvent(false);
            KDpc first = kernel.initializeDpc(
                    (KDpc d, Object c, Object x, Object y) -> {
                        Ndis.dprAcquireSpinLock(a);
                        Ndis.dprAcquireSpinLock(b);
                        Ndis.dprReleaseSpinLock(b);
                        Ndis.dprReleaseSpinLock(a);
                        firstDone.set();
                    },
                    null,
                    "abba");
            KDpc second = kernel.initializeDpc(
                    (KDpc d, Object c, Object x, Object y) -> {
                        Ndis.dprAcquireSpinLock(b);
                        Ndis.dprAcquireSpinLock(a);
                        Ndis.dprReleaseSpinLock(a);
                        Ndis.dprReleaseSpinLock(b);
                        secondDone.set();
                    },
                    null,
                    "abba");
            first.setTargetProcessor(0);
            second.setTargetProcessor(1);
            Ke.insertQueueDpc(first, null, null);
            Ke.insertQueueDpc(second, null, null);
            kernel.waitFor("the first DPC", firstDone, -1, WaitKind.WORK);
            kernel.waitFor("the second DPC", secondDone, -1, WaitKind.WORK);
            kernel.close();
            return null;
        };
    }

    @Test
    void aDpcThatNeverEndsIsADeadlockReportOrUnderFireWatchdogsTheDpcWatchdogOnVirtualTime() {
        long seed = 0;
        SimulationResult deadlocked = null;
        for (long s = 1; s <= 100 && deadlocked == null; s++) {
            SimulationResult r = run(s, HangPolicy.REPORT_DEADLOCK, lockOrderInversion());
            if (!r.passed()) {
                seed = s;
                deadlocked = r;
            }
        }
        assertThat(deadlocked).as("a seed of 100 where the DPCs deadlock").isNotNull();
        assertThat(deadlocked.failure())
                .startsWith("DEADLOCK at t=0.")
                .containsPattern("K1/CPU0 +DISPATCH")
                .containsPattern("K1/CPU1 +DISPATCH");
        assertThat(machine.get().isCrashed()).isFalse();

        SimulationResult watchdog = run(seed, HangPolicy.FIRE_WATCHDOGS, lockOrderInversion());

        assertThat(watchdog.passed()).isFalse();
        assertThat(machine.get().crashReport()).as(watchdog.failure()).isPresent();
        CrashReport report = machine.get().crashReport().orElseThrow();
        assertThat(report.code()).isEqualTo(BugCheckCode.DPC_WATCHDOG_VIOLATION);
        assertThat(report.parameters().get(0)).as("a single DPC ran too long").isEqualTo(0L);
        assertThat(report.driver()).isEqualTo("abba");
        assertThat(watchdog.failure()).contains("DPC_WATCHDOG_VIOLATION");
        assertThat(watchdog.virtualNanos()).as("virtual time at the end").isGreaterThanOrEqualTo(DPC_TIMEOUT.toNanos());
    }

    /** An OID request the miniport pends and never completes. */
    private Callable<Object> oidNeverCompleted() {
        return () -> {
            Kernel kernel = Kernel.boot(MACHINE);
            machine.set(kernel);
            OidMiniport miniport = new OidMiniport();
            miniport.onOid = (x, r) -> NdisStatus.PENDING; // and never NdisMOidRequestComplete
            NdisMiniportAdapterHandle adapter = miniport.start(kernel);
            NdisOidClient.of(adapter).requestAndWait(NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256));
            kernel.close();
            return null;
        };
    }

    @Test
    void anOidRequestNeverCompletedIsADeadlockReportOrUnderFireWatchdogsNdisWatchdogOnVirtualTime() {
        SimulationResult deadlocked = run(7, HangPolicy.REPORT_DEADLOCK, oidNeverCompleted());

        assertThat(deadlocked.failure()).startsWith("DEADLOCK at t=0.").contains("T ");
        assertThat(machine.get().isCrashed()).isFalse();

        SimulationResult watchdog = run(7, HangPolicy.FIRE_WATCHDOGS, oidNeverCompleted());

        CrashReport report = machine.get().crashReport().orElseThrow();
        assertThat(report.code()).isEqualTo(BugCheckCode.BUGCODE_NDIS_DRIVER);
        assertThat(report.parameters())
                .containsExactly(0x25L, 0x23L, NDIS_WATCHDOG.toMillis(), (long) Oid.OID_GEN_STATISTICS);
        assertThat(watchdog.failure()).contains("BUGCODE_NDIS_DRIVER");
        assertThat(watchdog.virtualNanos())
                .as("ten minutes of virtual time")
                .isGreaterThanOrEqualTo(NDIS_WATCHDOG.toNanos());
    }
}
