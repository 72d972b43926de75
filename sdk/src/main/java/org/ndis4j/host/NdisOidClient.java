package org.ndis4j.host;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.MiniportAdapter;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * A host's way to issue OID requests straight to one miniport adapter's OID queue, past the stack
 * (a protocol driver uses {@code Ndis.oidRequest} on its binding; filters and bindings reach the
 * same queue through the stack). Tests and tools use it as a protocol would use its binding:
 *
 * <pre>
 *   NdisOidClient oids = NdisOidClient.of(adapterHandle);
 *   NdisStatus s = oids.request(NdisOidRequest.query(OID_GEN_STATISTICS, 152), status -&gt; ...);
 *   // s is PENDING (the completion comes later) or the final status (no completion)
 *   NdisOidRequest q = NdisOidRequest.query(OID_GEN_LINK_STATE, 40);
 *   NdisStatus done = oids.requestAndWait(q);      // PASSIVE_LEVEL only
 * </pre>
 */
public final class NdisOidClient {

    private final MiniportAdapter adapter;

    private NdisOidClient(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** A client for {@code adapter}. */
    public static NdisOidClient of(NdisMiniportAdapterHandle adapter) {
        return new NdisOidClient(Handles.adapter(adapter, "NdisOidClient.of"));
    }

    public NdisMiniportAdapterHandle adapter() {
        return adapter;
    }

    /**
     * NdisOidRequest. IRQL &lt;= DISPATCH_LEVEL (rule Irql_OID_Function). Returns NDIS_STATUS_PENDING and
     * later calls {@code completion} once with the final status (at IRQL &lt;= DISPATCH_LEVEL, on the
     * thread that completed it — a miniport's DPC or work item, or NDIS's worker); or returns the final
     * status at once — NDIS answered the OID itself, or refused the request — and never calls
     * {@code completion}. The request must not be issued again until then (rule NdisOidDoubleRequest).
     */
    public NdisStatus request(NdisOidRequest oidRequest, Consumer<NdisStatus> completion) {
        return adapter.oidBroker().request(oidRequest, completion, "NdisOidRequest");
    }

    /**
     * Issues {@code oidRequest} and waits for its final status. IRQL = PASSIVE_LEVEL: waiting at
     * DISPATCH_LEVEL would stop the processor. A miniport that never completes the request trips
     * NDIS's watchdog (0x7C / 0x25 / 0x23), and the crash ends the wait.
     */
    public NdisStatus requestAndWait(NdisOidRequest oidRequest) {
        Kernel kernel = adapter.kernel();
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_OID_Function, "NdisOidClient.requestAndWait");
        KEvent done = kernel.initializeEvent(false);
        AtomicReference<NdisStatus> completed = new AtomicReference<>();
        NdisStatus status = request(oidRequest, s -> {
            completed.set(s);
            done.set();
        });
        if (status != NdisStatus.PENDING) {
            return status;
        }
        kernel.waitFor(oidRequest + " on " + adapter.name(), done, -1, WaitKind.WATCHDOG);
        return completed.get();
    }

    /**
     * NdisCancelOidRequest. IRQL &lt;= DISPATCH_LEVEL. Requests with {@code requestId} still queued in
     * NDIS complete with NDIS_STATUS_REQUEST_ABORTED; for one the miniport holds, NDIS calls
     * MiniportCancelOidRequest, and the request completes when the miniport completes it.
     */
    public void cancel(Object requestId) {
        adapter.oidBroker().cancel(requestId, "NdisCancelOidRequest");
    }
}
