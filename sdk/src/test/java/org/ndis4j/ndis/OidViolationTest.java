package org.ndis4j.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ndis4j.ndis.IoWorkItemTest.waitUntil;
import static org.ndis4j.ndis.oid.Oid.OID_GEN_STATISTICS;
import static org.ndis4j.testing.BugCheckAssertions.assertViolation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisStatisticsInfo;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.testing.KernelExtension;
import org.ndis4j.verifier.Rule;

/** Each OID request rule, broken once. */
@ExtendWith(KernelExtension.class)
class OidViolationTest {

    private static final int VENDOR_OID = 0xFF010001;

    /** A miniport that pends every request and remembers the last one. */
    private static OidMiniport pending(AtomicReference<NdisOidRequest> held) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            held.set(r);
            return NdisStatus.PENDING;
        };
        return miniport;
    }

    @Test
    void completingTwiceIsDoubleComplete(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel);
        NdisOidClient.of(adapter).request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {});
        waitUntil(() -> held.get() != null);
        NdisM.oidRequestComplete(adapter, held.get(), NdisStatus.SUCCESS);

        var report = assertViolation(
                kernel, Rule.DoubleComplete, () -> NdisM.oidRequestComplete(adapter, held.get(), NdisStatus.SUCCESS));
        assertThat(report.message()).contains("already completed");
    }

    @Test
    void completingARequestThatReturnedSynchronouslyIsDoubleComplete(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        AtomicReference<NdisOidRequest> answered = new AtomicReference<>();
        miniport.onOid = (a, r) -> {
            answered.set(r);
            return r.writeInformation(new byte[4]);
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        assertThat(NdisOidClient.of(adapter).requestAndWait(NdisOidRequest.query(VENDOR_OID, 4)))
                .isEqualTo(NdisStatus.SUCCESS);

        var report = assertViolation(
                kernel,
                Rule.DoubleComplete,
                () -> NdisM.oidRequestComplete(adapter, answered.get(), NdisStatus.SUCCESS));
        assertThat(report.message()).contains("returned a final status");
    }

    @Test
    void completingAndThenReturningAStatusIsDoubleComplete(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            NdisM.oidRequestComplete(a.handle, r, NdisStatus.SUCCESS);
            return NdisStatus.SUCCESS; // should have returned PENDING
        };
        NdisMiniportAdapterHandle adapter = miniport.start(kernel);
        assertViolation(
                kernel,
                Rule.DoubleComplete,
                () -> NdisOidClient.of(adapter).request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {}));
    }

    @Test
    void completingARequestNeverIssuedIsCompleteNotPending(Kernel kernel) {
        NdisMiniportAdapterHandle adapter = new OidMiniport().start(kernel);
        var report = assertViolation(
                kernel,
                Rule.OidRequest_CompleteNotPending,
                () -> NdisM.oidRequestComplete(adapter, NdisOidRequest.query(VENDOR_OID, 4), NdisStatus.SUCCESS));
        assertThat(report.message()).contains("never gave this miniport");
    }

    @Test
    void completingARequestNdisStillQueuesIsCompleteNotPending(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel);
        NdisOidClient client = NdisOidClient.of(adapter);
        client.request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {});
        NdisOidRequest queued = NdisOidRequest.setUlong(VENDOR_OID + 1, 2);
        client.request(queued, s -> {});
        waitUntil(() -> held.get() != null);

        var report = assertViolation(
                kernel,
                Rule.OidRequest_CompleteNotPending,
                () -> NdisM.oidRequestComplete(adapter, queued, NdisStatus.SUCCESS));
        assertThat(report.message()).contains("NDIS still queues");
    }

    @Test
    void issuingAPendingRequestAgainIsNdisOidDoubleRequest(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel);
        NdisOidClient client = NdisOidClient.of(adapter);
        NdisOidRequest request = NdisOidRequest.query(OID_GEN_STATISTICS, NdisStatisticsInfo.SIZE);
        assertThat(client.request(request, s -> {})).isEqualTo(NdisStatus.PENDING);

        assertViolation(kernel, Rule.NdisOidDoubleRequest, () -> client.request(request, s -> {}));
    }

    @Test
    void reissuingACompletedRequestIsLegal(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> r.writeUlong(9);
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        NdisOidRequest request = NdisOidRequest.query(VENDOR_OID, 4);
        assertThat(client.requestAndWait(request)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(client.requestAndWait(request)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(miniport.arrivals).hasSize(2);
    }

    @Test
    void completingAboveDispatchIsIrqlOidFunction(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel);
        NdisOidClient.of(adapter).request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {});
        waitUntil(() -> held.get() != null);

        var report = assertViolation(
                kernel,
                Rule.Irql_OID_Function,
                () -> atDirql(() -> NdisM.oidRequestComplete(adapter, held.get(), NdisStatus.SUCCESS)));
        assertThat(report.parameters())
                .containsExactly(
                        (long) Rule.Irql_OID_Function.id(),
                        (long) Irql.DIRQL.level(),
                        (long) Irql.DISPATCH_LEVEL.level(),
                        0L);
    }

    @Test
    void issuingAboveDispatchIsIrqlOidFunction(Kernel kernel) {
        NdisOidClient client = NdisOidClient.of(new OidMiniport().start(kernel));
        assertViolation(
                kernel,
                Rule.Irql_OID_Function,
                () -> atDirql(() -> client.request(NdisOidRequest.query(VENDOR_OID, 4), s -> {})));
    }

    @Test
    void waitingForARequestAtDispatchIsIrqlOidFunction(Kernel kernel) {
        NdisOidClient client = NdisOidClient.of(new OidMiniport().start(kernel));
        Irql old = Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            assertViolation(
                    kernel, Rule.Irql_OID_Function, () -> client.requestAndWait(NdisOidRequest.query(VENDOR_OID, 4)));
        } finally {
            Ke.lowerIrql(old);
        }
    }

    @Test
    void haltWithARequestStillPendingIsOidRequestPendingAtHalt(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel); // never completes it
        PnpManager.of(kernel).setOidHaltGrace(adapter, Duration.ofMillis(200));
        NdisOidClient.of(adapter).request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {});
        waitUntil(() -> held.get() != null);

        var report = assertViolation(
                kernel,
                Rule.OidRequest_PendingAtHalt,
                () -> PnpManager.of(kernel).removeDevice(adapter));
        assertThat(report.message()).contains("still pends in the miniport");
    }

    @Test
    void aNullStatusFromMiniportOidRequestIsOidRequestResult(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> null;
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        assertViolation(
                kernel, Rule.OidRequest_Result, () -> client.request(NdisOidRequest.query(VENDOR_OID, 4), s -> {}));
    }

    @Test
    void completingWithPendingIsOidRequestResult(Kernel kernel) {
        AtomicReference<NdisOidRequest> held = new AtomicReference<>();
        NdisMiniportAdapterHandle adapter = pending(held).start(kernel);
        NdisOidClient.of(adapter).request(NdisOidRequest.setUlong(VENDOR_OID, 1), s -> {});
        waitUntil(() -> held.get() != null);
        assertViolation(
                kernel,
                Rule.OidRequest_Result,
                () -> NdisM.oidRequestComplete(adapter, held.get(), NdisStatus.PENDING));
    }

    @Test
    void writingMoreThanTheBufferIsOidRequestResult(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> {
            r.setBytesWritten(r.informationBufferLength() + 4);
            return NdisStatus.SUCCESS;
        };
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        var report = assertViolation(
                kernel, Rule.OidRequest_Result, () -> client.request(NdisOidRequest.query(VENDOR_OID, 4), s -> {}));
        assertThat(report.message()).contains("BytesWritten 8");
    }

    @Test
    void bufferTooShortWithoutBytesNeededIsOidRequestResult(Kernel kernel) {
        OidMiniport miniport = new OidMiniport();
        miniport.onOid = (a, r) -> NdisStatus.BUFFER_TOO_SHORT; // and no BytesNeeded
        NdisOidClient client = NdisOidClient.of(miniport.start(kernel));
        assertViolation(
                kernel, Rule.OidRequest_Result, () -> client.request(NdisOidRequest.query(VENDOR_OID, 2), s -> {}));
    }

    private static void atDirql(Runnable r) {
        Irql old = Ke.raiseIrql(Irql.DIRQL);
        try {
            r.run();
        } finally {
            Ke.lowerIrql(old);
        }
    }
}
