package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.ProtocolEdge;
import org.ndis4j.verifier.Rule;

/**
 * The data path against the adapter states, as the WDK gives them: the miniport sets SourceHandle on
 * what it indicates and NDIS passes it up unchanged; receives are legal from the moment NDIS calls
 * MiniportRestart; sends that arrive while Pausing reach MiniportSendNetBufferLists, which must
 * reject them with NDIS_STATUS_PAUSED before its pause completes; while Paused NDIS completes them.
 */
@ExtendWith(KernelExtension.class)
class DataPathStatesTest {

    private static final long WAIT_SECONDS = 10;

    // ---- SourceHandle ---------------------------------------------------------------------------

    @Test
    void whatTheProtocolSeesAsSourceHandleIsWhatTheMiniportSet(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        upper.returnAtOnce = true;
        upper.edge = ProtocolEdge.bind(adapter, upper);

        DataPathMiniport.indicate(miniport.last, DataPathMiniport.receiveChain(miniport.last, 2), 0);

        assertThat(upper.indications)
                .singleElement()
                .satisfies(i -> assertThat(i.sourceHandles()).containsExactly(adapter, adapter));
        assertThat(miniport.returnedNbls).hasValue(2);
    }

    @Test
    void anIndicatedNblWithoutSourceHandleIsReceiveSourceHandle(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.start(kernel, "dp");
        DataPathMiniport.Adapter a = miniport.last;
        NetBufferList chain = DataPathMiniport.receiveChain(a, 2);
        NetBufferList forgotten = chain.next();
        forgotten.setSourceHandle(null); // the driver forgot the second one

        CrashReport report =
                assertViolation(kernel, Rule.Receive_SourceHandle, () -> DataPathMiniport.indicate(a, chain, 0));
        assertThat(report.parameters().get(1)).isZero(); // NULL
        assertThat(report.message()).contains(forgotten.toString()).contains("SourceHandle NULL");
        assertThat(report.allocations()).isNotEmpty(); // where the NBL was allocated
        assertThat(report.allocations().get(0).frames().get(0)).contains("DataPathMiniport.receiveChain");
    }

    @Test
    void anIndicatedNblWithAnotherAdaptersHandleIsReceiveSourceHandle(Kernel kernel) {
        DataPathMiniport first = new DataPathMiniport();
        NdisMiniportAdapterHandle other = first.start(kernel, "dp1");
        DataPathMiniport second = new DataPathMiniport();
        second.start(kernel, "dp2");
        DataPathMiniport.Adapter a = second.last;
        NetBufferList chain = DataPathMiniport.receiveChain(a, 1);
        chain.setSourceHandle(other);

        CrashReport report =
                assertViolation(kernel, Rule.Receive_SourceHandle, () -> DataPathMiniport.indicate(a, chain, 0));
        assertThat(report.parameters().get(1)).isEqualTo(1L); // another adapter's handle
        assertThat(report.message()).contains("by dp2/nic0").contains("SourceHandle " + other);
    }

    // ---- receives from MiniportRestart on -------------------------------------------------------

    @Test
    void aMiniportIndicatesFromMiniportRestartBeforeItCompletesTheRestart(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        DataPathMiniport.Adapter a = miniport.last;
        PnpManager.of(kernel).pause(adapter);
        miniport.onRestart = ctx -> {
            DataPathMiniport.indicate(ctx, DataPathMiniport.receiveChain(ctx, 1), 0); // in MiniportRestart
            return NdisStatus.PENDING;
        };

        CompletableFuture<NdisStatus> restart =
                CompletableFuture.supplyAsync(() -> PnpManager.of(kernel).restart(adapter));
        waitUntil(() -> miniport.returnedNbls.get() == 1);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Restarting);
        // Still Restarting (NdisMRestartComplete not called yet): another indication is legal too.
        DataPathMiniport.indicate(a, DataPathMiniport.receiveChain(a, 2), 0);
        assertThat(miniport.returnedNbls).hasValue(3);

        NdisM.restartComplete(a.handle, NdisStatus.SUCCESS);
        assertThat(restart.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Running);
        assertThat(kernel.isCrashed()).isFalse();
    }

    @Test
    void indicatingWhilePausedBeforeMiniportRestartIsStillReceiveIndicationState(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        PnpManager.of(kernel).pause(adapter);
        DataPathMiniport.Adapter a = miniport.last;
        NetBufferList chain = DataPathMiniport.receiveChain(a, 1);
        CrashReport report =
                assertViolation(kernel, Rule.Receive_IndicationState, () -> DataPathMiniport.indicate(a, chain, 0));
        assertThat(report.message()).contains("from the moment NDIS calls MiniportRestart");
    }

    // ---- sends while Pausing and Paused ---------------------------------------------------------

    /** An adapter left Pausing: its MiniportPause pends until the one receive the protocol keeps comes back. */
    private static CompletableFuture<Void> pauseThatPends(
            Kernel kernel, DataPathMiniport miniport, NdisMiniportAdapterHandle adapter) {
        miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 1), 0);
        CompletableFuture<Void> pause =
                CompletableFuture.runAsync(() -> PnpManager.of(kernel).pause(adapter));
        waitUntil(() -> miniport.pausePending);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Pausing);
        return pause;
    }

    @Test
    void sendsWhilePausingReachTheMiniportWhichRejectsThemWithPaused(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        DataPathTest.Sender sender = new DataPathTest.Sender(kernel);
        CompletableFuture<Void> pause = pauseThatPends(kernel, miniport, adapter);

        edge.sendNetBufferLists(sender.chain("p1", "p2"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(miniport.sendCalls).hasValue(1); // MiniportSendNetBufferLists saw them
        assertThat(miniport.framesSent).containsExactly("p1", "p2");
        assertThat(upper.completed)
                .extracting(RecordingUpperEdge.Completed::status)
                .containsExactly(NdisStatus.PAUSED, NdisStatus.PAUSED);

        edge.returnNetBufferLists(upper.indications.get(0).chain(), 0); // the pause can complete now
        pause.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);

        // Paused: NDIS completes sends itself; the miniport is not called.
        edge.sendNetBufferLists(sender.chain("late"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(miniport.sendCalls).hasValue(1);
        assertThat(upper.completed)
                .hasSize(3)
                .last()
                .satisfies(c -> assertThat(c.status()).isEqualTo(NdisStatus.PAUSED));
        sender.free(upper);
    }

    @Test
    void aMiniportThatKeepsSendsArrivingWhilePausingIsNblOutstandingAtPause(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        miniport.rejectSendsWhilePaused = false; // the bug: it queues them like any other send
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        pauseThatPends(kernel, miniport, adapter);
        edge.sendNetBufferLists(new DataPathTest.Sender(kernel).chain("kept"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(miniport.sendCalls).hasValue(1);

        // The last receive comes back: MiniportReturnNetBufferLists completes the pause with the send kept.
        CrashReport report = assertViolation(
                kernel,
                Rule.Nbl_OutstandingAtPause,
                () -> edge.returnNetBufferLists(upper.indications.get(0).chain(), 0));
        assertThat(report.parameters()).containsExactly((long) Rule.Nbl_OutstandingAtPause.id(), 1L, 0L, 0L);
        assertThat(report.message())
                .contains("1 sent NBL(s) not completed (1 of them sent while the adapter was Pausing")
                .contains("NDIS_STATUS_PAUSED");
    }
}
