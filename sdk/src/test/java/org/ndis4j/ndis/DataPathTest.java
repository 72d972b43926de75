package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.BugCheckAssertions;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.testing.ProtocolEdge;
import org.ndis4j.verifier.Rule;

/** Sends down and back, receives up and back, RESOURCES, pause semantics. */
@ExtendWith(KernelExtension.class)
class DataPathTest {

    private static final long WAIT_SECONDS = 10;

    /** A protocol-side sender: its own pool, frames in pooled ByteBufs. */
    static final class Sender {
        final NetBufferListPool pool;

        Sender(Kernel kernel) {
            NdisProtocolDriverHandle protocol = Ndis.registerProtocolDriver(kernel, "proto");
            pool = Ndis.allocateNetBufferListPool(protocol, NetBufferListPoolParameters.withNetBuffer(0, 0));
        }

        /** A chain of NBLs, one frame each; each ByteBuf's reference goes to its NET_BUFFER. */
        NetBufferList chain(String... frames) {
            List<NetBufferList> nbls = new ArrayList<>();
            for (String f : frames) {
                ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                data.writeBytes(new byte[4]); // headroom: the frame starts at offset 4
                data.writeCharSequence(f, StandardCharsets.US_ASCII);
                nbls.add(Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, data, 4, f.length()));
            }
            return DataPathMiniport.link(nbls);
        }

        void free(RecordingUpperEdge upper) {
            for (RecordingUpperEdge.Completed c : upper.completed) {
                c.nbl().setNext(null);
            }
            for (RecordingUpperEdge.Completed c : upper.completed) {
                Ndis.freeNetBufferList(c.nbl());
            }
            Ndis.freeNetBufferListPool(pool);
        }
    }

    @Test
    void sendGoesToTheMiniportAndItsCompletionComesBackUpWithTheStatus(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.sendStatus = NdisStatus.MEDIA_DISCONNECTED;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        Sender sender = new Sender(kernel);

        NetBufferList chain = sender.chain("one", "two", "three");
        edge.sendNetBufferLists(chain, NDIS_DEFAULT_PORT_NUMBER, NDIS_SEND_FLAGS_DISPATCH_LEVEL);

        assertThat(miniport.framesSent).containsExactly("one", "two", "three");
        // NDIS fixes the DISPATCH_LEVEL flag to the caller's real IRQL (PASSIVE here).
        assertThat(miniport.sendFlagsSeen).containsExactly(0);
        assertThat(upper.completed).hasSize(3).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(NdisStatus.MEDIA_DISCONNECTED);
            assertThat(c.nbl().pool()).isSameAs(sender.pool);
        });
        assertThat(edge.sendsOutstanding()).isZero();
        sender.free(upper);
    }

    @Test
    void heldSendsCompletedLaterAtDispatchLevelEachReachTheSenderOnce(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        Sender sender = new Sender(kernel);

        edge.sendNetBufferLists(sender.chain("a", "b"), NDIS_DEFAULT_PORT_NUMBER, 0);
        edge.sendNetBufferLists(sender.chain("c"), NDIS_DEFAULT_PORT_NUMBER, 0);
        assertThat(edge.sendsOutstanding()).isEqualTo(3);
        assertThat(upper.completed).isEmpty();

        Irql old = Ke.raiseIrqlToDpcLevel();
        try {
            DataPathMiniport.completeHeld(miniport.last, NdisStatus.SUCCESS);
        } finally {
            Ke.lowerIrql(old);
        }
        assertThat(upper.completed)
                .extracting(RecordingUpperEdge.Completed::status)
                .containsExactly(NdisStatus.SUCCESS, NdisStatus.SUCCESS, NdisStatus.SUCCESS);
        assertThat(upper.completed)
                .allSatisfy(c -> assertThat(c.flags()).isEqualTo(NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL));
        assertThat(edge.sendsOutstanding()).isZero();
        sender.free(upper);
    }

    @Test
    void receiveIndicatedFromADpcIsReturnedThroughMiniportReturnNetBufferLists(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        DataPathMiniport.Adapter a = miniport.last;

        CountDownLatch indicated = new CountDownLatch(1);
        KDpc dpc = kernel.initializeDpc(
                (KDpc d, DataPathMiniport.Adapter ctx, Object x, Object y) -> {
                    DataPathMiniport.indicate(ctx, DataPathMiniport.receiveChain(ctx, 2), 0);
                    indicated.countDown();
                },
                a,
                "dp");
        Ke.insertQueueDpc(dpc, null, null);
        assertThat(indicated.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(upper.indications).hasSize(1);
        RecordingUpperEdge.Indication ind = upper.indications.get(0);
        assertThat(ind.count()).isEqualTo(2);
        assertThat(ind.flags() & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL).isNotZero();
        assertThat(ind.frames()).containsExactly("rx0", "rx1");
        assertThat(ind.sourceHandles()).containsOnly(adapter);
        assertThat(edge.receivesOutstanding()).isEqualTo(2);
        assertThat(miniport.returnedNbls).hasValue(0);

        Irql old = Ke.raiseIrqlToDpcLevel();
        try {
            edge.returnNetBufferLists(ind.chain(), 0);
        } finally {
            Ke.lowerIrql(old);
        }
        assertThat(miniport.returnedNbls).hasValue(2);
        assertThat(miniport.returnFlagsSeen).containsExactly(NDIS_RETURN_FLAGS_DISPATCH_LEVEL);
        assertThat(edge.receivesOutstanding()).isZero();
        assertThat(a.receivePool.allocatedCount()).isZero();
    }

    @Test
    void withResourcesTheMiniportOwnsTheNblsAgainWhenTheIndicationReturns(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        upper.returnAtOnce = true; // it must not return RESOURCES indications, and does not
        upper.edge = ProtocolEdge.bind(adapter, upper);
        DataPathMiniport.Adapter a = miniport.last;

        NetBufferList chain = DataPathMiniport.receiveChain(a, 3);
        DataPathMiniport.indicate(a, chain, NDIS_RECEIVE_FLAGS_RESOURCES);

        assertThat(upper.indications).hasSize(1);
        assertThat(upper.indications.get(0).flags() & NDIS_RECEIVE_FLAGS_RESOURCES)
                .isNotZero();
        assertThat(miniport.returnedNbls).hasValue(0); // no MiniportReturnNetBufferLists
        assertThat(upper.edge.receivesOutstanding()).isZero();
        // The miniport owns them: it may indicate them again at once, then free them.
        DataPathMiniport.indicate(a, chain, 0); // without RESOURCES: upper returns at once
        assertThat(miniport.returnedNbls).hasValue(3);
        assertThat(a.receivePool.allocatedCount()).isZero();
    }

    @Test
    void withNoUpperEdgeNdisReturnsIndicationsStraightAway(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.start(kernel, "dp");
        DataPathMiniport.indicate(miniport.last, DataPathMiniport.receiveChain(miniport.last, 2), 0);
        assertThat(miniport.returnedNbls).hasValue(2);
    }

    @Test
    void pauseStaysPausingUntilIndicatedNblsAreReturned(Kernel kernel) throws Exception {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 1), 0);

        // The miniport's MiniportPause pends until its receive comes back (as the WDK requires).
        CompletableFuture<Void> pause =
                CompletableFuture.runAsync(() -> PnpManager.of(kernel).pause(adapter));
        waitUntil(() -> miniport.pausePending);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Pausing);
        assertThat(pause).isNotDone();

        edge.returnNetBufferLists(upper.indications.get(0).chain(), 0);
        pause.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused);
        assertThat(miniport.returnedNbls).hasValue(1);
    }

    @Test
    void aPauseThatCompletesWithReceivesOutstandingIsAViolation(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.pauseWaitsForReturns = false;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        ProtocolEdge.bind(adapter, new RecordingUpperEdge());
        miniport.indicateHeld(miniport.last, DataPathMiniport.receiveChain(miniport.last, 1), 0);
        var report = BugCheckAssertions.assertViolation(
                kernel, Rule.Nbl_OutstandingAtPause, () -> PnpManager.of(kernel).pause(adapter));
        assertThat(report.message()).contains("1 indicated NBL(s) not returned");
    }

    @Test
    void whilePausedNdisCompletesSendsWithPausedWithoutCallingTheMiniport(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        miniport.completeSendsInline = false;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        RecordingUpperEdge upper = new RecordingUpperEdge();
        ProtocolEdge edge = ProtocolEdge.bind(adapter, upper);
        Sender sender = new Sender(kernel);
        edge.sendNetBufferLists(sender.chain("held"), NDIS_DEFAULT_PORT_NUMBER, 0);

        PnpManager.of(kernel).pause(adapter); // MiniportPause completes the held send with PAUSED
        assertThat(upper.completed)
                .extracting(RecordingUpperEdge.Completed::status)
                .containsExactly(NdisStatus.PAUSED);
        edge.sendNetBufferLists(sender.chain("late1", "late2"), NDIS_DEFAULT_PORT_NUMBER, 0);

        assertThat(miniport.sendCalls).hasValue(1);
        assertThat(upper.completed)
                .extracting(RecordingUpperEdge.Completed::status)
                .containsExactly(NdisStatus.PAUSED, NdisStatus.PAUSED, NdisStatus.PAUSED);
        assertThat(PnpManager.of(kernel).restart(adapter)).isEqualTo(NdisStatus.SUCCESS);
        sender.free(upper);
    }

    @Test
    void cancelSendReachesTheMiniportWithTheId(Kernel kernel) {
        DataPathMiniport miniport = new DataPathMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel, "dp");
        ProtocolEdge edge = ProtocolEdge.bind(adapter, new RecordingUpperEdge());
        edge.cancelSendNetBufferLists(1); // also enters this thread into the kernel
        int partial = Ndis.generatePartialCancelId();
        assertThat(partial).isBetween(1, 255);
        long id = ((long) partial << 56) | 7;
        edge.cancelSendNetBufferLists(id);
        assertThat(miniport.cancelIds).containsExactly(1L, id);
    }
}
