package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.Await;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.KernelOptions;
import org.ndis4j.testing.RecordingProtocol;
import org.ndis4j.verifier.Rule;

/**
 * Check-for-hang and reset as NDIS 6 does them: MiniportCheckForHangEx every
 * CheckForHangTimeInSeconds at PASSIVE_LEVEL; TRUE, an OID request or sends the miniport holds for two
 * periods lead to MiniportResetEx (at DISPATCH_LEVEL here), which may pend until NdisMResetComplete;
 * NDIS_STATUS_RESET_START and _END go up the stack; AddressingReset makes NDIS set the packet filter
 * and multicast list again. The check-for-hang period is 1 s (ResetMiniport).
 */
@ExtendWith(KernelExtension.class)
@KernelOptions(ndisWatchdogMillis = 20_000) // the periods, not the watchdog, are what these tests wait for
class CheckForHangAndResetTest {

    private static final byte[] GROUP = {0x01, 0x00, 0x5e, 0x00, 0x00, (byte) 0xfb};

    @Test
    void ndisCallsMiniportCheckForHangExEveryPeriodAtPassiveLevelAndNoResetWhileItSaysFalse(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);

        Await.until("two check-for-hang calls", () -> miniport.calls.size() >= 2);

        assertThat(miniport.calls).allMatch(call -> call.equals("checkForHang PASSIVE_LEVEL WORKER"));
        assertThat(AdapterView.of(adapter).resetsStarted()).isZero();
    }

    @Test
    void checkForHangTrueLeadsToMiniportResetExAtDispatchLevelBetweenResetStartAndResetEnd(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(true);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        RecordingProtocol protocol = RecordingProtocol.bind(adapter);

        Await.until("the reset ends", () -> AdapterView.of(adapter).lastResetStatus() != null);

        assertThat(miniport.calls).contains("reset DISPATCH_LEVEL WORKER");
        assertThat(AdapterView.of(adapter).resetsStarted()).isEqualTo(1);
        assertThat(AdapterView.of(adapter).lastResetStatus()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(adapter).state())
                .as("a reset changes no state")
                .isEqualTo(AdapterState.Running);
        Await.until(
                "the protocol hears both", () -> protocol.statusIndications().size() >= 2);
        assertThat(protocol.statusIndications())
                .extracting(s -> s.indication().statusCode())
                .containsExactly(NdisStatus.RESET_START, NdisStatus.RESET_END);
        assertThat(protocol.statusIndications().get(1).indication().statusBuffer())
                .isEqualTo(NdisStatus.SUCCESS);
    }

    @Test
    void aPendingResetEndsWithNdisMResetCompleteAndAddressingResetMakesNdisSetTheAddressingAgain(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(false);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> {
            Ndis.queueIoWorkItem(
                    a.workItem,
                    (ResetMiniport.Adapter x, NdisIoWorkItem item) ->
                            NdisM.resetComplete(x.handle, NdisStatus.SUCCESS, true),
                    a);
            return MiniportResetResult.pending();
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidClient oids = NdisOidClient.of(adapter);
        oids.requestAndWait(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_PACKET_FILTER, 0x0B));
        oids.requestAndWait(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, GROUP));
        int before = miniport.oids.size();
        hungOnce.set(true);

        Await.until("the reset ends", () -> AdapterView.of(adapter).lastResetStatus() != null);
        Await.until("NDIS sets the addressing again", () -> miniport.oids.size() >= before + 2);

        List<NdisOidRequest> restored = miniport.oids.subList(before, before + 2);
        assertThat(restored).allMatch(r -> r.requestType() == NdisRequestType.NdisRequestSetInformation);
        assertThat(restored.get(0).oid()).isEqualTo(Oid.OID_GEN_CURRENT_PACKET_FILTER);
        assertThat(restored.get(0).readUlong(0)).isEqualTo(0x0B);
        assertThat(restored.get(1).oid()).isEqualTo(Oid.OID_802_3_MULTICAST_LIST);
        assertThat(restored.get(1).readInformation()).isEqualTo(GROUP);
    }

    @Test
    void withoutAddressingResetNdisSetsNothingAfterTheReset(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(true);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        Await.until("the reset ends", () -> AdapterView.of(adapter).lastResetStatus() != null);

        NdisOidRequest next = NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256); // queued behind any restore
        miniport.onOid = (a, r) -> NdisStatus.NOT_SUPPORTED;
        NdisOidClient.of(adapter).requestAndWait(next);

        assertThat(miniport.oids).containsExactly(next);
    }

    @Test
    void anOidRequestTheMiniportHoldsForTwoPeriodsLeadsToAResetThatCompletesIt(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        miniport.onOid = (a, r) -> {
            a.heldOid = r;
            return NdisStatus.PENDING; // held until the reset
        };
        miniport.onReset = a -> {
            NdisM.oidRequestComplete(a.handle, a.heldOid, NdisStatus.REQUEST_ABORTED); // NDIS 6.30: before it ends
            return MiniportResetResult.completed(NdisStatus.SUCCESS, false);
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        AtomicReference<NdisStatus> completion = new AtomicReference<>();

        NdisOidClient.of(adapter).request(NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256), completion::set);

        Await.until("the request completes", () -> completion.get() != null);
        assertThat(completion.get()).isEqualTo(NdisStatus.REQUEST_ABORTED);
        assertThat(AdapterView.of(adapter).resetsStarted()).isEqualTo(1);
    }

    @Test
    void aResetThatEndsWhileTheMiniportStillHoldsItsOidRequestIsResetOidRequestPending(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        miniport.onOid = (a, r) -> {
            a.heldOid = r;
            return NdisStatus.PENDING;
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel); // its reset completes nothing

        CrashReport report = BugCheckAssertions.assertViolation(
                kernel,
                Rule.Reset_OidRequestPending,
                () -> NdisOidClient.of(adapter)
                        .request(NdisOidRequest.query(Oid.OID_GEN_STATISTICS, 256), status -> {}));

        assertThat(report.message()).contains("OID_GEN_STATISTICS");
    }

    @Test
    void sendsTheMiniportHoldsWithNoCompletionForTwoPeriodsLeadToAResetThatCompletesThem(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport(); // its check-for-hang says FALSE: NDIS sees the sends itself
        miniport.onReset = a -> {
            a.completeHeldSends(NdisStatus.REQUEST_ABORTED);
            return MiniportResetResult.completed(NdisStatus.SUCCESS, false);
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        RecordingProtocol protocol = RecordingProtocol.bind(adapter);

        protocol.send(new byte[60]);

        protocol.awaitSendCompletions(1);
        assertThat(protocol.sendCompletions()).containsExactly(NdisStatus.REQUEST_ABORTED);
        assertThat(AdapterView.of(adapter).resetsStarted()).isEqualTo(1);
    }

    @Test
    void oidRequestsWaitWhileTheAdapterResets(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(true);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> MiniportResetResult.pending(); // the test completes it
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        Await.until("the reset pends", () -> AdapterView.of(adapter).isResetting());
        List<NdisStatus> completions = new CopyOnWriteArrayList<>();

        NdisStatus issued = NdisOidClient.of(adapter)
                .request(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_LOOKAHEAD, 128), completions::add);

        assertThat(issued).isEqualTo(NdisStatus.PENDING);
        assertThat(miniport.oids)
                .as("held back by NDIS while the adapter resets")
                .isEmpty();
        NdisM.resetComplete(adapter, NdisStatus.SUCCESS, false);
        Await.until("the request reaches the miniport", () -> completions.size() == 1);
        assertThat(miniport.oids).hasSize(1);
        assertThat(completions).containsExactly(NdisStatus.SUCCESS);
    }

    @Test
    void ndisMResetCompleteWithNoResetPendingIs0x7C0F(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = new ResetMiniport().start(kernel);

        CrashReport report = BugCheckAssertions.assertBugCheck(
                kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> NdisM.resetComplete(adapter, NdisStatus.SUCCESS, true));

        // NDIS_BUGCHECK_RESET_COMPLETE_UNEXPECTED: parameter 3 = the status, 4 = AddressingReset.
        assertThat(report.parameters().get(0)).isEqualTo(0x0FL);
        assertThat(report.parameters().get(3)).isEqualTo(1L);
    }

    @Test
    void completingTheResetInsideMiniportResetExAndReturningAStatusIsResetCompletion(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(false);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> {
            NdisM.resetComplete(a.handle, NdisStatus.SUCCESS, false);
            return MiniportResetResult.completed(NdisStatus.SUCCESS, false); // should have been PENDING
        };
        miniport.start(kernel);

        BugCheckAssertions.assertViolation(kernel, Rule.Reset_Completion, () -> hungOnce.set(true));
    }

    @Test
    void miniportResetExRunsAtDispatchLevelSoAResetThatSleepsIsCaught(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(false);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> {
            NdisM.sleep(1_000); // waiting belongs in a work item
            return MiniportResetResult.completed(NdisStatus.SUCCESS, false);
        };
        miniport.start(kernel);

        BugCheckAssertions.assertViolation(kernel, Rule.Irql_Miniport_Driver_Function, () -> hungOnce.set(true));
    }

    @Test
    @KernelOptions(ndisWatchdogMillis = 1_000)
    void aResetThatNeverCompletesIsTheResetWatchdog(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(false);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> MiniportResetResult.pending(); // and never NdisMResetComplete
        miniport.start(kernel);

        CrashReport report =
                BugCheckAssertions.assertBugCheck(kernel, BugCheckCode.BUGCODE_NDIS_DRIVER, () -> hungOnce.set(true));

        assertThat(report.parameters()).containsExactly(0x25L, 0xA3L, 1_000L, 0L); // ndis4j's code: miniport reset
    }

    @Test
    void haltWaitsForTheResetInProgress(Kernel kernel) {
        ResetMiniport miniport = new ResetMiniport();
        AtomicBoolean hungOnce = new AtomicBoolean(true);
        miniport.onCheckForHang = a -> hungOnce.getAndSet(false);
        miniport.onReset = a -> {
            Ndis.queueIoWorkItem(
                    a.workItem,
                    (ResetMiniport.Adapter x, NdisIoWorkItem item) -> {
                        NdisM.sleep(200_000); // the reset is slow: the halt waits for it
                        NdisM.resetComplete(x.handle, NdisStatus.SUCCESS, false);
                    },
                    a);
            return MiniportResetResult.pending();
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        Await.until("the reset pends", () -> AdapterView.of(adapter).isResetting());

        PnpManager.of(kernel).removeDevice(adapter);

        assertThat(AdapterView.of(adapter).lastResetStatus()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
    }
}
