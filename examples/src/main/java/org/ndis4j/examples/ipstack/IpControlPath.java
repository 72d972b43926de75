package org.ndis4j.examples.ipstack;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The binding's control path (ctrlpath.c, from a protocol's side): the OID requests ipstack issues
 * with NdisOidRequest, one at a time and in order, whether they complete at once or return
 * NDIS_STATUS_PENDING and come back through ProtocolOidRequestComplete.
 *
 * <pre>
 *   request ─► queue (bounded) ─► NdisOidRequest ─┬─ final status ─────────────────────┐
 *                                                 └─ PENDING … ProtocolOidRequestComplete ┴─► done(status) ─► next
 * </pre>
 * At unbind, closing waits until the one in flight has completed: NDIS must not complete a request
 * to a binding that is gone.
 */
final class IpControlPath {

    static final int MAX_QUEUED = 32;

    private record Request(NdisOidRequest oid, Consumer<NdisStatus> done) {}

    private final IpBinding binding;
    private final IpCounters counters;
    /** Guards {@link #queue}, {@link #inFlight} and {@link #closing}. */
    private final NdisSpinLock lock;

    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private Request inFlight;
    private boolean closing;
    /** Set when closing and nothing is in flight. */
    private final NdisEvent idle;

    IpControlPath(IpBinding binding, IpCounters counters) {
        this.binding = binding;
        this.counters = counters;
        this.lock = Ndis.allocateSpinLock();
        this.idle = Ndis.initializeEvent();
    }

    /**
     * Queues an OID request; {@code done} hears its final status (at IRQL &lt;= DISPATCH_LEVEL). False
     * when the queue is full or the binding closes. Runs at IRQL &lt;= DISPATCH_LEVEL.
     */
    boolean request(NdisOidRequest oid, Consumer<NdisStatus> done) {
        Request request = new Request(oid, done);
        Ndis.acquireSpinLock(lock);
        boolean accepted = !closing && queue.size() < MAX_QUEUED;
        boolean issueNow = accepted && inFlight == null;
        if (issueNow) {
            inFlight = request;
        } else if (accepted) {
            queue.add(request);
        }
        Ndis.releaseSpinLock(lock);
        if (issueNow) {
            issue(request);
        }
        return accepted;
    }

    private void issue(Request request) {
        counters.increment(IpCounter.OIDS_ISSUED);
        NdisStatus status = Ndis.oidRequest(binding.handle(), request.oid());
        if (status == NdisStatus.PENDING) {
            counters.increment(IpCounter.OIDS_PENDED); // ProtocolOidRequestComplete finishes it
        } else {
            complete(request.oid(), status);
        }
    }

    /** ProtocolOidRequestComplete (or the final status NdisOidRequest returned). Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void complete(NdisOidRequest oid, NdisStatus status) {
        Ndis.acquireSpinLock(lock);
        Request done = inFlight;
        if (done == null || done.oid() != oid) {
            Ndis.releaseSpinLock(lock);
            throw new IllegalStateException("ProtocolOidRequestComplete for a request ipstack did not issue: " + oid);
        }
        Request next = queue.poll();
        inFlight = next;
        boolean nowIdle = next == null && closing;
        Ndis.releaseSpinLock(lock);

        counters.increment(status.isSuccess() ? IpCounter.OIDS_COMPLETED : IpCounter.OIDS_FAILED);
        done.done().accept(status);
        if (nowIdle) {
            Ndis.setEvent(idle);
        }
        if (next != null) {
            issue(next);
        }
    }

    /**
     * Refuses new requests, fails the queued ones with NDIS_STATUS_CLOSING and waits for the one in
     * flight. Runs at PASSIVE_LEVEL. False when it had not completed after {@code ms}.
     */
    boolean close(int ms) {
        Ndis.acquireSpinLock(lock);
        closing = true;
        ArrayDeque<Request> dropped = new ArrayDeque<>(queue);
        queue.clear();
        boolean nowIdle = inFlight == null;
        Ndis.releaseSpinLock(lock);
        for (Request request : dropped) {
            request.done().accept(NdisStatus.CLOSING);
        }
        if (nowIdle) {
            Ndis.setEvent(idle);
        }
        return Ndis.waitEvent(idle, ms);
    }

    /** After NdisCloseAdapterEx (or a bind that failed before opening). */
    void free() {
        Ndis.freeSpinLock(lock);
    }
}
