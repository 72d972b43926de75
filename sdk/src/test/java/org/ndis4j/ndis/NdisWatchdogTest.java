package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelConfig;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;

/**
 * NDIS's watchdog: a call NDIS makes into a driver and waits for that does not finish stops the
 * machine with BUGCODE_NDIS_DRIVER (0x7C), parameter 1 = 0x25, parameter 2 = the operation, and the
 * report shows the stuck thread's stack. Each breaking test has a clean twin that waits, but finishes.
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(ndisWatchdogMillis = 1_000)
class NdisWatchdogTest {

    @Test
    void aHaltThatNeverReturnsIsBugcodeNdisDriverWatchdogNamingTheHaltAndShowingTheStuckStack(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onHalt = a -> Ndis.waitEvent(Ndis.initializeEvent(), 0); // an event nobody sets
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "stuck"), TestMiniport.trivialDevice("nic0"));

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> pnp.removeDevice(adapter));

        // 0x25 NDIS_BUGCHECK_WATCHDOG, 0x22 miniport halt, the time-out in ms, 0.
        assertThat(report.parameters()).containsExactly(0x25L, 0x22L, 1_000L, 0L);
        assertThat(report.driver()).isEqualTo("stuck");
        assertThat(report.message())
                .contains("NDIS_BUGCHECK_WATCHDOG_MINIPORT_HALT")
                .contains("MiniportHaltEx of stuck/nic0");
        assertThat(report.thread()).contains("DelayedWorkQueue"); // the PnP thread that runs the halt
        assertThat(report.stack())
                .anyMatch(frame -> frame.contains("org.ndis4j.ndis.Ndis.waitEvent"))
                .anyMatch(frame -> frame.contains("TestMiniport.haltEx"));
    }

    @Test
    @KernelOptions(ndisWatchdogMillis = 5_000) // a twin: it waits, and must not look hung on a busy machine
    void aHaltThatWaitsForItsOwnWorkItemFinishesWithinTheWatchdog(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            a.workItem = Ndis.allocateIoWorkItem(a.handle);
            return NdisStatus.SUCCESS;
        };
        miniport.onHalt = a -> {
            NdisEvent done = Ndis.initializeEvent();
            Ndis.queueIoWorkItem(a.workItem, (NdisEvent e, NdisIoWorkItem item) -> Ndis.setEvent(e), done);
            Ndis.waitEvent(done, 0); // set by the work item: the halt waits, and finishes
            Ndis.freeIoWorkItem(a.workItem);
        };
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "waits"), TestMiniport.trivialDevice("nic0"));

        pnp.removeDevice(adapter);

        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void aPauseThatPendsForeverIsTheMiniportPauseWatchdog(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onPause = a -> NdisStatus.PENDING; // and never NdisMPauseComplete
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "pauses"), TestMiniport.trivialDevice("nic0"));

        CrashReport report =
                BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> pnp.pause(adapter));

        assertThat(report.parameters()).containsExactly(0x25L, 0x21L, 1_000L, 0L);
        assertThat(report.message()).contains("NDIS_BUGCHECK_WATCHDOG_MINIPORT_PAUSE");
        // Nothing of the driver runs: the stack is NDIS's, waiting for NdisMPauseComplete.
        assertThat(report.stack()).anyMatch(frame -> frame.contains("MiniportAdapter.awaitCompletion"));
    }

    @Test
    @KernelOptions(ndisWatchdogMillis = 5_000) // a twin: it waits, and must not look hung on a busy machine
    void aPauseThatPendsAndCompletesFromAWorkItemIsNotAHang(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            a.workItem = Ndis.allocateIoWorkItem(a.handle);
            return NdisStatus.SUCCESS;
        };
        miniport.onPause = a -> {
            Ndis.queueIoWorkItem(
                    a.workItem, (TestMiniport.Adapter x, NdisIoWorkItem item) -> NdisM.pauseComplete(x.handle), a);
            return NdisStatus.PENDING;
        };
        miniport.onHalt = a -> Ndis.freeIoWorkItem(a.workItem);
        PnpManager pnp = PnpManager.of(kernel);
        NdisMiniportAdapterHandle adapter =
                pnp.addDevice(miniport.load(kernel, "pauses"), TestMiniport.trivialDevice("nic0"));

        pnp.pause(adapter);

        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);
    }

    @Test
    void anOidRequestTheMiniportNeverCompletesIsTheMiniportOidWatchdogWithTheOid(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> NdisStatus.PENDING; // and never NdisMOidRequestComplete
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidRequest request = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256);

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel,
                BugCheckCode.BUGCODE_NDIS_DRIVER,
                () -> NdisOidClient.of(adapter).requestAndWait(request));

        assertThat(report.parameters()).containsExactly(0x25L, 0x23L, 1_000L, (long) Oid.OID_GEN_STATISTICS);
        assertThat(report.message()).contains("NDIS_BUGCHECK_WATCHDOG_MINIPORT_OID");
        assertThat(report.driver()).isEqualTo("oidmp");
    }

    @Test
    @KernelOptions(ndisWatchdogMillis = 5_000) // a twin: it waits, and must not look hung on a busy machine
    void anOidRequestCompletedLaterFromAWorkItemIsNotAHang(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            NdisIoWorkItem item = Ndis.allocateIoWorkItem(a.handle);
            Ndis.queueIoWorkItem(
                    item,
                    (OidMiniport.Adapter x, NdisIoWorkItem self) -> {
                        NdisM.sleep(50_000); // the answer takes a while, well inside the watchdog
                        r.writeUlong(1514);
                        NdisM.oidRequestComplete(x.handle, r, NdisStatus.SUCCESS);
                        Ndis.freeIoWorkItem(self);
                    },
                    a);
            return NdisStatus.PENDING;
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidRequest request = NdisOidRequest.query(Oid.OID_GEN_MAXIMUM_TOTAL_SIZE, 4);

        assertThat(NdisOidClient.of(adapter).requestAndWait(request)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(request.resultUlong()).isEqualTo(1514);
    }

    @Test
    void aDriverEntryThatNeverReturnsIsTheDriverEntryWatchdog(Kernel kernel) {
        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel,
                BugCheckCode.BUGCODE_NDIS_DRIVER,
                () -> PnpManager.of(kernel).loadDriver("hangs", (DriverObject driverObject, String registryPath) -> {
                    Ndis.waitEvent(Ndis.initializeEvent(), 0);
                    return NdisStatus.SUCCESS;
                }));

        assertThat(report.parameters()).containsExactly(0x25L, 0xB1L, 1_000L, 0L); // ndis4j's code: DriverEntry
        assertThat(report.message()).contains("DriverEntry of hangs");
    }

    @Test
    void theWatchdogIsTenMinutesOnAMachineAndShortUnderTheTestExtension(Kernel kernel) {
        assertThat(KernelConfig.defaults().ndisWatchdog()).isEqualTo(Duration.ofMinutes(10));
        assertThat(KernelExtension.NDIS_WATCHDOG).isEqualTo(Duration.ofSeconds(5));
        assertThat(kernel.config().ndisWatchdog()).isEqualTo(Duration.ofSeconds(1)); // @KernelOptions
    }
}
