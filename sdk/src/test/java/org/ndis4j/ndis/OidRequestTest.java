package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_LOOKAHEAD;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_CURRENT_PACKET_FILTER;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_MAXIMUM_TOTAL_SIZE;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_STATISTICS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.AdapterView;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.ThreadKind;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;

/** OID requests that reach the miniport: pending, queuing, statuses, cancellation, halt. */
@ExtendWith(KernelExtension.class)
class OidRequestTest {

    private static final int VENDOR_OID = 0xFF010001;
    private static final NdisStatisticsInfo STATS = new NdisStatisticsInfo(
            NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV
                    | NdisStatisticsInfo.NDIS_STATISTICS_FLAGS_VALID_BYTES_XMIT,
            1,
            2,
            3_000,
            4,
            5,
            6,
            7_000,
            8,
            9,
            10,
            11,
            12,
            13,
            14,
            15,
            16,
            17,
            18);

    @Test
    void aRequestThatPendsCompletesFromAnIoWorkItemAtPassive(Kernel kernel) throws Exception {
        OidMiniport miniport = new OidMiniport();
        AtomicReference<String> routineIrql = new AtomicReference<>();
        miniport.onOid = (a, r) -> {
            if (r.oid() != OID_GEN_STATISTICS) {
                return NdisStatus.INVALID_OID;
            }
            // As a driver whose counters sit behind a slow PASSIVE_LEVEL read: defer, then complete.
            NdisIoWorkItem item = Ndis.allocateIoWorkItem(a.handle);
            Ndis.queueIoWorkItem(
                    item,
                    (NdisOidRequest request, NdisIoWorkItem self) -> {
                        routineIrql.set(Ke.getCurrentIrql().name());
                        NdisStatus status = request.writeInformation(STATS.encode());
                        Ndis.freeIoWorkItem(self);
                        NdisM.oidRequestComplete(a.handle, request, status);
                    },
                    r);
            return NdisStatus.PENDING;
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidRequest query = NdisOidRequest.query(OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        CompletableFuture<NdisStatus> completed = new CompletableFuture<>();

        // The upper layer issues it from DISPATCH_LEVEL; the miniport still gets it at PASSIVE_LEVEL.
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        NdisStatus issued;
        try {
            issued = NdisOidClient.of(adapter).request(query, completed::complete);
        } finally {
            Ke.lowerIrql(old);
        }

        assertThat(issued).isEqualTo(NdisStatus.PENDING);
        assertThat(completed.get(10, TimeUnit.SECONDS)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(routineIrql.get()).isEqualTo("PASSIVE_LEVEL");
        assertThat(miniport.arrivals).singleElement().satisfies(arrival -> {
            assertThat(arrival.irql()).isEqualTo("PASSIVE_LEVEL");
            assertThat(arrival.thread()).isEqualTo(ThreadKind.WORKER);
        });
        assertThat(query.bytesWritten()).isEqualTo(NdisStatisticsInfo.SIZE);
        assertThat(NdisStatisticsInfo.decode(query.result())).isEqualTo(STATS);
    }

    @Test
    void queuedRequestsReachTheMiniportOneAtATimeInOrder(Kernel kernel) throws Exception {
        OidMiniport miniport = new OidMiniport();
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        miniport.onOid = (a, r) -> {
            mostAtOnce.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            return NdisStatus.PENDING; // the test completes each one
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidClient client = NdisOidClient.of(adapter);
        List<NdisOidRequest> requests = new ArrayList<>();
        List<Integer> completionOrder = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            NdisOidRequest r = NdisOidRequest.setUlong(VENDOR_OID + i, i);
            requests.add(r);
            assertThat(client.request(r, s -> completionOrder.add(r.oid()))).isEqualTo(NdisStatus.PENDING);
        }
        for (int i = 0; i < 5; i++) {
            int expected = i + 1;
            waitUntil(() -> miniport.arrivals.size() == expected);
            // Exactly the request issued i-th is in the miniport, and nothing behind it has arrived.
            assertThat(miniport.arrivals.get(i).request()).isSameAs(requests.get(i));
            assertThat(miniport.arrivals).hasSize(expected);
            outstanding.decrementAndGet();
            requests.get(i).setBytesRead(4);
            NdisM.oidRequestComplete(adapter, requests.get(i), NdisStatus.SUCCESS);
        }
        waitUntil(() -> completionOrder.size() == 5);
        assertThat(completionOrder)
                .containsExactly(VENDOR_OID, VENDOR_OID + 1, VENDOR_OID + 2, VENDOR_OID + 3, VENDOR_OID + 4);
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void aSynchronousAnswerCompletesTheRequestAndTheNextOneFollows(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> r.oid() == OID_GEN_MAXIMUM_TOTAL_SIZE ? r.writeUlong(1514) : NdisStatus.INVALID_OID;
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));

        NdisOidRequest total = NdisOidRequest.query(OID_GEN_MAXIMUM_TOTAL_SIZE, 4);
        assertThat(client.requestAndWait(total)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(total.resultUlong()).isEqualTo(1514);
        assertThat(total.result()).containsExactly(0xEA, 0x05, 0, 0);

        NdisOidRequest shortOne = NdisOidRequest.query(OID_GEN_MAXIMUM_TOTAL_SIZE, 2);
        assertThat(client.requestAndWait(shortOne)).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
        assertThat(shortOne.bytesNeeded()).isEqualTo(4);
        assertThat(shortOne.bytesWritten()).isZero();
    }

    @Test
    void aMiniportWithoutAnOidHandlerAnswersNotSupported(Kernel kernel) {
        TestMiniport plain = new TestMiniport(); // no oidRequest: the default handler
        NdisMiniportAdapterHandle adapter =
                PnpManager.of(kernel).addDevice(plain.load(kernel, "plain"), TestMiniport.trivialDevice("nic0"));
        NdisOidRequest query = NdisOidRequest.query(OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        assertThat(NdisOidClient.of(adapter).requestAndWait(query)).isEqualTo(NdisStatus.NOT_SUPPORTED);
        assertThat(query.bytesWritten()).isZero();
    }

    @Test
    void anOidTheMiniportDoesNotKnowIsInvalidOid(Kernel kernel) {
        OidMiniport miniport = new OidMiniport(); // answers INVALID_OID for everything
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        assertThat(client.requestAndWait(NdisOidRequest.query(VENDOR_OID, 4))).isEqualTo(NdisStatus.INVALID_OID);
        assertThat(miniport.arrivals).hasSize(1);
    }

    @Test
    void theMiniportMayCompleteBeforeItReturnsPending(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            r.setBytesRead(4);
            NdisM.oidRequestComplete(a.handle, r, NdisStatus.SUCCESS);
            return NdisStatus.PENDING;
        };
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        assertThat(client.requestAndWait(NdisOidRequest.setUlong(VENDOR_OID, 7)))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(client.requestAndWait(NdisOidRequest.setUlong(VENDOR_OID, 8)))
                .isEqualTo(NdisStatus.SUCCESS);
    }

    @Test
    void aPacketFilterTheMiniportAcceptedIsWhatNdisAnswersAfterwards(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        AtomicInteger programmed = new AtomicInteger(-1);
        miniport.onOid = (a, r) -> {
            if (r.oid() != OID_GEN_CURRENT_PACKET_FILTER) {
                return NdisStatus.INVALID_OID;
            }
            if (r.informationBufferLength() < 4) {
                return r.tooShort(4);
            }
            int filter = r.readUlong(0);
            if ((filter & ~NdisPacketType.ETHERNET_FILTERS) != 0) {
                return NdisStatus.NOT_SUPPORTED;
            }
            programmed.set(filter);
            r.setBytesRead(4);
            return NdisStatus.SUCCESS;
        };
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        int filter = NdisPacketType.NDIS_PACKET_TYPE_DIRECTED | NdisPacketType.NDIS_PACKET_TYPE_BROADCAST;

        NdisOidRequest query = NdisOidRequest.query(OID_GEN_CURRENT_PACKET_FILTER, 4);
        assertThat(client.requestAndWait(query)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(query.resultUlong()).isZero(); // nothing set yet
        assertThat(client.requestAndWait(NdisOidRequest.setUlong(OID_GEN_CURRENT_PACKET_FILTER, filter)))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(client.requestAndWait(
                        NdisOidRequest.setUlong(OID_GEN_CURRENT_PACKET_FILTER, NdisPacketType.NDIS_PACKET_TYPE_SMT)))
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
        NdisOidRequest shortSet = NdisOidRequest.set(OID_GEN_CURRENT_PACKET_FILTER, new byte[2]);
        assertThat(client.requestAndWait(shortSet)).isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(shortSet.bytesNeeded()).isEqualTo(4);

        NdisOidRequest again = NdisOidRequest.query(OID_GEN_CURRENT_PACKET_FILTER, 4);
        assertThat(client.requestAndWait(again)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(again.resultUlong()).isEqualTo(filter); // the failed sets did not change it
        assertThat(programmed.get()).isEqualTo(filter);
        assertThat(miniport.arrivals).hasSize(3); // the queries never reached it
    }

    @Test
    void ndisRefusesAnInvalidLookaheadAndPassesAValidOne(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            r.setBytesRead(4);
            return NdisStatus.SUCCESS;
        };
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        NdisOidRequest tooShort = NdisOidRequest.set(OID_GEN_CURRENT_LOOKAHEAD, new byte[3]);
        assertThat(client.requestAndWait(tooShort)).isEqualTo(NdisStatus.INVALID_LENGTH);
        assertThat(tooShort.bytesNeeded()).isEqualTo(4);
        assertThat(client.requestAndWait(NdisOidRequest.setUlong(OID_GEN_CURRENT_LOOKAHEAD, 257)))
                .isEqualTo(NdisStatus.INVALID_DATA); // above the LookaheadSize attribute (256)
        assertThat(miniport.arrivals).isEmpty();

        assertThat(client.requestAndWait(NdisOidRequest.setUlong(OID_GEN_CURRENT_LOOKAHEAD, 128)))
                .isEqualTo(NdisStatus.SUCCESS);
        assertThat(miniport.arrivals).hasSize(1);
        NdisOidRequest query = NdisOidRequest.query(OID_GEN_CURRENT_LOOKAHEAD, 4);
        assertThat(client.requestAndWait(query)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(query.resultUlong()).isEqualTo(128);
    }

    @Test
    void cancellingAQueuedRequestAbortsItBeforeTheMiniportSeesIt(Kernel kernel) throws Exception {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> NdisStatus.PENDING;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidClient client = NdisOidClient.of(adapter);
        NdisOidRequest first = NdisOidRequest.setUlong(VENDOR_OID, 1).setRequestId("first");
        NdisOidRequest second = NdisOidRequest.setUlong(VENDOR_OID + 1, 2).setRequestId("second");
        CompletableFuture<NdisStatus> firstDone = new CompletableFuture<>();
        CompletableFuture<NdisStatus> secondDone = new CompletableFuture<>();
        client.request(first, firstDone::complete);
        client.request(second, secondDone::complete);
        waitUntil(() -> miniport.arrivals.size() == 1);

        client.cancel("second");
        assertThat(secondDone.getNow(null)).isEqualTo(NdisStatus.REQUEST_ABORTED); // completed by NDIS, at once
        assertThat(miniport.cancels).isEmpty(); // the miniport never knew

        first.setBytesRead(4);
        NdisM.oidRequestComplete(adapter, first, NdisStatus.SUCCESS);
        assertThat(firstDone.get(10, TimeUnit.SECONDS)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(miniport.arrivals).extracting(OidMiniport.Arrival::request).containsExactly(first);
    }

    @Test
    void cancellingARequestTheMiniportHoldsCallsMiniportCancelOidRequest(Kernel kernel) throws Exception {
        OidMiniport miniport = new OidMiniport();
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        miniport.onOid = (a, r) -> {
            held.set(r);
            return NdisStatus.PENDING;
        };
        miniport.onCancel = (a, id) -> {
            NdisOidRequest r = held.get();
            if (r != null && id.equals(r.requestId())) {
                NdisM.oidRequestComplete(a.handle, r, NdisStatus.REQUEST_ABORTED);
            }
        };
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        NdisOidRequest slow = NdisOidRequest.query(OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE)
                .setRequestId(42);
        CompletableFuture<NdisStatus> done = new CompletableFuture<>();
        assertThat(client.request(slow, done::complete)).isEqualTo(NdisStatus.PENDING);
        waitUntil(() -> held.get() != null);

        client.cancel(42);
        assertThat(miniport.cancels).containsExactly(42);
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(NdisStatus.REQUEST_ABORTED);
        // The adapter serves the next request after the aborted one.
        held.set(null);
        miniport.onOid = (a, r) -> r.writeInformation(STATS.encode());
        assertThat(client.requestAndWait(NdisOidRequest.query(OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE)))
                .isEqualTo(NdisStatus.SUCCESS);
    }

    @Test
    void haltWaitsForTheRequestTheMiniportHoldsAndAbortsTheQueuedOnes(Kernel kernel) throws Exception {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> NdisStatus.PENDING;
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        NdisOidClient client = NdisOidClient.of(adapter);
        NdisOidRequest held = NdisOidRequest.setUlong(VENDOR_OID, 1);
        NdisOidRequest queued = NdisOidRequest.setUlong(VENDOR_OID + 1, 2);
        CompletableFuture<NdisStatus> heldDone = new CompletableFuture<>();
        CompletableFuture<NdisStatus> queuedDone = new CompletableFuture<>();
        client.request(held, heldDone::complete);
        client.request(queued, queuedDone::complete);
        waitUntil(() -> miniport.arrivals.size() == 1);

        Thread remover = new Thread(() -> PnpManager.of(kernel).removeDevice(adapter), "remover");
        remover.start();
        assertThat(queuedDone.get(10, TimeUnit.SECONDS)).isEqualTo(NdisStatus.REQUEST_ABORTED);
        assertThat(client.request(NdisOidRequest.setUlong(VENDOR_OID + 2, 3), s -> {}))
                .isEqualTo(NdisStatus.ADAPTER_REMOVED); // no new requests while halting
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Paused); // halt waits for the held request

        held.setBytesRead(4);
        NdisM.oidRequestComplete(adapter, held, NdisStatus.SUCCESS);
        remover.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(remover.isAlive()).isFalse();
        assertThat(heldDone.getNow(null)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(AdapterView.of(adapter).state()).isEqualTo(AdapterState.Halted);
        assertThat(miniport.arrivals).hasSize(1);
    }

    @Test
    void aHaltedAdapterRefusesRequests(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        PnpManager.of(kernel).removeDevice(adapter);
        assertThat(NdisOidClient.of(adapter).request(NdisOidRequest.query(OID_GEN_STATISTICS, 152), s -> {}))
                .isEqualTo(NdisStatus.ADAPTER_REMOVED);
        assertThat(miniport.arrivals).isEmpty();
    }

    @Test
    void aPausedAdapterStillAnswersOidRequests(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> r.writeUlong(1514);
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        PnpManager.of(kernel).pause(adapter);
        NdisOidRequest query = NdisOidRequest.query(OID_GEN_MAXIMUM_TOTAL_SIZE, 4);
        assertThat(NdisOidClient.of(adapter).requestAndWait(query)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(query.resultUlong()).isEqualTo(1514);
    }
}
