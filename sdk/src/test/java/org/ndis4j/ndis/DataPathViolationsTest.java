package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CrashReport;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.ProtocolEdge;
import org.ndis4j.verifier.Rule;

/** Each data-path rule, broken on purpose. Stranded buffers are given back when the machine closes. */
@ExtendWith(KernelExtension.class)
class DataPathViolationsTest {

    private static DataPathMiniport.Adapter running(Kernel kernel, DataPathMiniport miniport) {
        miniport.start(kernel, "dp");
        return miniport.last;
    }

    @Test
    void completingASendTwiceIsDoubleComplete(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        DataPathMiniport.Adapter a = running(kernel, miniport);
        ProtocolEdge edge = ProtocolEdge.bind(a.handle, new RecordingUpperEdge());
        NetBufferList chain = new DataPathTest.Sender(kernel).chain("x");
        edge.sendNetBufferLists(chain, NDIS_DEFAULT_PORT_NUMBER, 0);
        DataPathMiniport.completeHeld(a, NdisStatus.SUCCESS);

        CrashReport report = assertViolation(
                kernel, Rule.Nbl_DoubleComplete, () -> NdisM.sendNetBufferListsComplete(a.handle, chain, 0));
        assertThat(report.message()).contains("already completed by dp/nic0");
    }

    @Test
    void completingAnNblThatWasNeverSentIsCompleteNotSent(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList own = DataPathMiniport.receiveChain(a, 1);
        own.setStatus(NdisStatus.SUCCESS);
        CrashReport report = assertViolation(
                kernel, Rule.Nbl_CompleteNotSent, () -> NdisM.sendNetBufferListsComplete(a.handle, own, 0));
        assertThat(report.message()).contains("NDIS never sent it to dp/nic0");
    }

    @Test
    void completingWithoutAFinalStatusIsInvalid(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        DataPathMiniport.Adapter a = running(kernel, miniport);
        ProtocolEdge edge = ProtocolEdge.bind(a.handle, new RecordingUpperEdge());
        edge.sendNetBufferLists(new DataPathTest.Sender(kernel).chain("x"), NDIS_DEFAULT_PORT_NUMBER, 0);
        NetBufferList held = a.heldSends.poll();
        CrashReport report = assertViolation(
                kernel, Rule.Nbl_InvalidParameter, () -> NdisM.sendNetBufferListsComplete(a.handle, held, 0));
        assertThat(report.message()).contains("NET_BUFFER_LIST_STATUS PENDING");
    }

    @Test
    void indicatingWhilePausedIsAViolation(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        PnpManager.of(kernel).pause(a.handle);
        NetBufferList chain = DataPathMiniport.receiveChain(a, 1);
        CrashReport report =
                assertViolation(kernel, Rule.Receive_IndicationState, () -> DataPathMiniport.indicate(a, chain, 0));
        assertThat(report.message()).contains("while the adapter is Paused");
    }

    @Test
    void sendsStillHeldWhenThePauseCompletesAreAViolation(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        miniport.completeHeldSendsOnPause = false;
        DataPathMiniport.Adapter a = running(kernel, miniport);
        ProtocolEdge edge = ProtocolEdge.bind(a.handle, new RecordingUpperEdge());
        edge.sendNetBufferLists(new DataPathTest.Sender(kernel).chain("x", "y"), NDIS_DEFAULT_PORT_NUMBER, 0);

        // Removal pauses first: a pause that completes with sends held is the bug (before halt is reached).
        CrashReport report = assertViolation(
                kernel, Rule.Nbl_OutstandingAtPause, () -> PnpManager.of(kernel).removeDevice(a.handle));
        assertThat(report.parameters().get(1)).isEqualTo(2L);
        assertThat(report.message()).contains("2 sent NBL(s) not completed");
    }

    @Test
    void freeingAPoolWithNblsAllocatedIsAViolation(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        DataPathMiniport.receiveChain(a, 1);
        CrashReport report = assertViolation(
                kernel, Rule.NblPool_FreeWithOutstanding, () -> Ndis.freeNetBufferListPool(a.receivePool));
        assertThat(report.message()).contains("1 NBL(s) allocated from it are not freed");
    }

    @Test
    void aPoolAllocatedWithTheAdapterHandleAndNotFreedAtHaltIsALeak(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.freePoolAtHalt = false;
        DataPathMiniport.Adapter a = running(kernel, miniport);
        assertViolation(kernel, Rule.NblPool_Leak, () -> PnpManager.of(kernel).removeDevice(a.handle));
    }

    @Test
    void aPoolAllocatedWithTheAdapterHandleByAFailedInitializeIsALeak(Kernel kernel) {
        TestMiniport miniport = new TestMiniport();
        miniport.onInitialize = a -> {
            Ndis.allocateNetBufferListPool(a.handle, NetBufferListPoolParameters.nblOnly(0));
            return NdisStatus.RESOURCES;
        };
        DriverObject driver = miniport.load(kernel, "pl");
        CrashReport report = assertViolation(
                kernel,
                Rule.NblPool_Leak,
                () -> PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("dev0")));
        assertThat(report.message()).contains("not freed by the end of a failed MiniportInitializeEx");
    }

    @Test
    void freeingAnNblTwiceIsUseAfterFree(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList nbl = DataPathMiniport.receiveChain(a, 1);
        Ndis.freeNetBufferList(nbl);
        assertViolation(kernel, Rule.Nbl_UseAfterFree, () -> Ndis.freeNetBufferList(nbl));
    }

    @Test
    void indicatingAFreedNblIsUseAfterFree(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList nbl = DataPathMiniport.receiveChain(a, 1);
        Ndis.freeNetBufferList(nbl);
        assertViolation(kernel, Rule.Nbl_UseAfterFree, () -> DataPathMiniport.indicate(a, nbl, 0));
    }

    @Test
    void freeingAnNblThatIsIndicatedIsNotOwned(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge.bind(a.handle, upper);
        NetBufferList nbl = DataPathMiniport.receiveChain(a, 1);
        DataPathMiniport.indicate(a, nbl, 0);
        CrashReport report = assertViolation(kernel, Rule.Nbl_NotOwned, () -> Ndis.freeNetBufferList(nbl));
        assertThat(report.message()).contains("indicated by dp/nic0 and not returned yet");
    }

    @Test
    void returningAnNblIndicatedWithResourcesIsNotOwned(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(a.handle, upper);
        NetBufferList nbl = DataPathMiniport.receiveChain(a, 1);
        DataPathMiniport.indicate(a, nbl, NDIS_RECEIVE_FLAGS_RESOURCES);
        CrashReport report = assertViolation(kernel, Rule.Nbl_NotOwned, () -> edge.returnNetBufferLists(nbl, 0));
        assertThat(report.message()).contains("NDIS_RECEIVE_FLAGS_RESOURCES");
    }

    @Test
    void returningTwiceIsNotOwned(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.freeReturned = false;
        DataPathMiniport.Adapter a = running(kernel, miniport);
        ProtocolEdge edge = ProtocolEdge.bind(a.handle, new RecordingUpperEdge());
        NetBufferList nbl = DataPathMiniport.receiveChain(a, 1);
        DataPathMiniport.indicate(a, nbl, 0);
        edge.returnNetBufferLists(nbl, 0);
        CrashReport report = assertViolation(kernel, Rule.Nbl_NotOwned, () -> edge.returnNetBufferLists(nbl, 0));
        assertThat(report.message()).contains("already returned");
    }

    @Test
    void aCountThatDiffersFromTheChainIsInvalid(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList chain = DataPathMiniport.receiveChain(a, 2);
        CrashReport report = assertViolation(
                kernel,
                Rule.Nbl_InvalidParameter,
                () -> NdisM.indicateReceiveNetBufferLists(a.handle, chain, NDIS_DEFAULT_PORT_NUMBER, 3, 0));
        assertThat(report.message()).contains("NumberOfNetBufferLists is 3 but the chain holds 2");
    }

    @Test
    void aChainThatLoopsIsInvalid(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList chain = DataPathMiniport.receiveChain(a, 3);
        chain.next().next().setNext(chain);
        CrashReport report = assertViolation(
                kernel,
                Rule.Nbl_InvalidParameter,
                () -> NdisM.indicateReceiveNetBufferLists(a.handle, chain, NDIS_DEFAULT_PORT_NUMBER, 3, 0));
        assertThat(report.message()).contains("loops back on itself");
    }

    @Test
    void theDispatchLevelFlagAtPassiveLevelIsAnIrqlViolation(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList chain = DataPathMiniport.receiveChain(a, 1);
        assertViolation(
                kernel,
                Rule.Irql_SendRcv_Function,
                () -> NdisM.indicateReceiveNetBufferLists(
                        a.handle, chain, NDIS_DEFAULT_PORT_NUMBER, 1, NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL));
    }

    @Test
    void indicatingAtDirqlIsAnIrqlViolation(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        NetBufferList chain = DataPathMiniport.receiveChain(a, 1);
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            CrashReport report =
                    assertViolation(kernel, Rule.Irql_SendRcv_Function, () -> DataPathMiniport.indicate(a, chain, 0));
            assertThat(report.parameters().get(1)).isEqualTo((long) Irql.DIRQL.level());
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void allocatingAnNblAboveDispatchIsAnIrqlViolation(Kernel kernel) {
        DataPathMiniport.Adapter a = running(kernel, new DataPathMiniport());
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            assertViolation(
                    kernel, Rule.Irql_NetBuffer_Function, () -> Ndis.allocateNetBufferList(a.receivePool, 0, 0));
        } finally {
            Ke.lowerIrql(old);
        }
    }
}
