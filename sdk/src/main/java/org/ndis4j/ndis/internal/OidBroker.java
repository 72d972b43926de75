package org.ndis4j.ndis.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisRequestType;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's OID request queue of one miniport adapter: the upper edge (protocol bindings, filters, tests
 * through {@link NdisOidClient}) issues requests here; NDIS answers the OIDs it answers itself, and
 * hands the rest to MiniportOidRequest one at a time, in order, at PASSIVE_LEVEL on a DelayedWorkQueue
 * thread — whatever IRQL the issuer ran at.
 *
 * <pre>
 *   request ──► NDIS answers? ──yes──► status returned now (completion not called)
 *                  │ no
 *                  ▼
 *               QUEUED ──pump (worker, PASSIVE)──► DELIVERING: MiniportOidRequest runs
 *                  │                                   │ returns status ─────────────► DONE ─► completion(status)
 *               cancel / halt:                         │ returns PENDING ──► PENDING ─NdisMOidRequestComplete─► DONE
 *               completion(REQUEST_ABORTED)            │ (NdisMOidRequestComplete before the return: COMPLETED_EARLY)
 * </pre>
 * After DONE the next queued request is pumped. Before MiniportHaltEx, queued requests are aborted
 * and NDIS waits (up to {@link #DEFAULT_HALT_GRACE}) for the one the miniport holds.
 */
public final class OidBroker {

    /** How long NDIS waits, before MiniportHaltEx, for the miniport to complete the request it holds. */
    static final Duration DEFAULT_HALT_GRACE = Duration.ofSeconds(5);
    /** How many completed requests are remembered to tell a double completion from a stray one. */
    private static final int FINISHED_MEMORY = 64;

    private enum Stage {
        QUEUED,
        DELIVERING,
        COMPLETED_EARLY,
        PENDING,
        DONE
    }

    /** One issued request and NDIS's bookkeeping for it (what NdisReserved holds in C). */
    private static final class Entry {
        final NdisOidRequest request;
        final Consumer<NdisStatus> completion;
        Stage stage = Stage.QUEUED;
        NdisStatus earlyStatus;
        boolean returnedSynchronously;

        Entry(NdisOidRequest request, Consumer<NdisStatus> completion) {
            this.request = request;
            this.completion = completion;
        }
    }

    private final MiniportAdapter adapter;
    private final Runnable pump = this::pump;

    /** Guards every field below. */
    private final Object lock = new Object();

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ArrayDeque<Entry> finished = new ArrayDeque<>();
    private Entry inFlight;
    private boolean pumpQueued;
    private boolean halting;
    private KEvent idle;
    private int packetFilter;
    private Integer currentLookahead;
    private Duration haltGrace = DEFAULT_HALT_GRACE;

    /** Only remembers the adapter: the adapter's own fields are not set yet when this is built. */
    OidBroker(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    private Kernel kernel() {
        return adapter.kernel();
    }

    private String name() {
        return adapter.name();
    }

    /** Shortens NDIS's wait before halt (tests of the halt rule). */
    public void setHaltGrace(Duration grace) {
        synchronized (lock) {
            haltGrace = grace;
        }
    }

    // ---- the upper edge -----------------------------------------------------------------------

    /**
     * NdisOidRequest semantics. IRQL &lt;= DISPATCH_LEVEL. Returns NDIS_STATUS_PENDING and calls
     * {@code completion} exactly once later (at IRQL &lt;= DISPATCH_LEVEL, on the completing thread), or
     * returns the final status now and never calls it.
     */
    public NdisStatus request(NdisOidRequest request, Consumer<NdisStatus> completion, String function) {
        Kernel kernel = kernel();
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, function);
        if (request == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, function + " with a NULL NDIS_OID_REQUEST");
        }
        Objects.requireNonNull(completion, "completion");
        MiniportAdapter already = PendingOidRequests.of(kernel).owner(request);
        if (already != null) {
            throw Verifier.violation(
                    kernel,
                    Rule.NdisOidDoubleRequest,
                    request.oid(),
                    0,
                    function + "(" + request + ") on " + name() + " while the same request still pends on "
                            + already.name());
        }
        NdisStatus refused = refusal();
        if (refused != null) {
            Trace.log("%s: %s -> %s (adapter is %s)", name(), request, refused, adapter.state());
            return refused;
        }
        NdisStatus answered = NdisOidAnswers.answer(known(), request);
        if (answered != null) {
            Trace.log("%s: NDIS answers %s -> %s, %d bytes", name(), request, answered, request.bytesWritten());
            return answered;
        }
        Entry entry = new Entry(request, completion);
        synchronized (lock) {
            if (halting) {
                return NdisStatus.ADAPTER_REMOVED;
            }
            if (PendingOidRequests.of(kernel).add(request, adapter) != null) {
                throw Verifier.violation(
                        kernel,
                        Rule.NdisOidDoubleRequest,
                        request.oid(),
                        0,
                        function + "(" + request + ") on " + name() + " while the same request still pends");
            }
            queue.addLast(entry);
        }
        Trace.log("%s: %s queued", name(), request);
        schedulePump();
        return NdisStatus.PENDING;
    }

    /**
     * NdisCancelOidRequest semantics. IRQL &lt;= DISPATCH_LEVEL. Requests with {@code requestId} that
     * NDIS still queues complete with NDIS_STATUS_REQUEST_ABORTED now; for one the miniport holds, NDIS
     * calls MiniportCancelOidRequest on this thread.
     */
    public void cancel(Object requestId, String function) {
        Kernel kernel = kernel();
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, function);
        List<Entry> aborted = new ArrayList<>();
        boolean inMiniport;
        synchronized (lock) {
            for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (Objects.equals(e.request.requestId(), requestId)) {
                    it.remove();
                    aborted.add(e);
                }
            }
            inMiniport = inFlight != null
                    && inFlight.stage != Stage.DONE
                    && Objects.equals(inFlight.request.requestId(), requestId);
        }
        for (Entry e : aborted) {
            Trace.log("%s: %s cancelled while queued", name(), e.request);
            deliverCompletion(e, NdisStatus.REQUEST_ABORTED);
        }
        if (inMiniport) {
            Trace.log("%s: MiniportCancelOidRequest(%s)", name(), requestId);
            DriverCalls.run(
                    adapter.driverName(), () -> characteristics().cancelOidRequest(adapter.context(), requestId));
        }
    }

    // ---- the miniport -------------------------------------------------------------------------

    /** NdisMOidRequestComplete. */
    public void complete(NdisOidRequest request, NdisStatus status) {
        Kernel kernel = kernel();
        if (status == null || status == NdisStatus.PENDING) {
            throw Verifier.violation(
                    kernel,
                    Rule.OidRequest_Result,
                    status == null ? 0 : status.code(),
                    0,
                    name() + ": NdisMOidRequestComplete(" + request + ") with status " + status
                            + "; a completion carries the final status");
        }
        Entry done = null;
        synchronized (lock) {
            Entry e = inFlight;
            if (e != null && e.request == request) {
                switch (e.stage) {
                    case DELIVERING -> {
                        // Completed before MiniportOidRequest returned: legal if it then returns PENDING.
                        e.stage = Stage.COMPLETED_EARLY;
                        e.earlyStatus = status;
                        return;
                    }
                    case PENDING -> done = finishLocked(e, status);
                    default -> throw doubleComplete(e, status);
                }
            } else {
                for (Entry f : finished) {
                    if (f.request == request) {
                        throw doubleComplete(f, status);
                    }
                }
                MiniportAdapter owner = PendingOidRequests.of(kernel).owner(request);
                throw Verifier.violation(
                        kernel,
                        Rule.OidRequest_CompleteNotPending,
                        request == null ? 0 : request.oid(),
                        0,
                        name() + ": NdisMOidRequestComplete(" + request
                                + ") for a request "
                                + (owner == null
                                        ? "that NDIS never gave this miniport"
                                        : owner == adapter
                                                ? "NDIS still queues (the miniport has not seen it)"
                                                : "that pends on another adapter, " + owner.name()));
            }
        }
        afterFinish(done, status);
    }

    private BugCheckException doubleComplete(Entry e, NdisStatus status) {
        String how = e.returnedSynchronously
                ? "whose MiniportOidRequest returned a final status (completion is only for PENDING)"
                : "that was already completed";
        return Verifier.violation(
                kernel(),
                Rule.DoubleComplete,
                e.request.oid(),
                status.code(),
                name() + ": NdisMOidRequestComplete(" + e.request + ", " + status + ") for a request " + how);
    }

    /** Hands the next queued request to the miniport. Runs at PASSIVE_LEVEL on a DelayedWorkQueue thread. */
    private void pump() {
        Entry e;
        synchronized (lock) {
            pumpQueued = false;
            if (inFlight != null || halting || queue.isEmpty()) {
                return;
            }
            e = queue.pollFirst();
            e.stage = Stage.DELIVERING;
            inFlight = e;
            idleEvent().reset();
        }
        Trace.log("%s: MiniportOidRequest(%s)", name(), e.request);
        NdisStatus returned = DriverCalls.call(
                adapter.driverName(), () -> characteristics().oidRequest(adapter.context(), e.request));
        Entry done = null;
        NdisStatus status;
        synchronized (lock) {
            if (returned == null) {
                throw Verifier.violation(
                        kernel(),
                        Rule.OidRequest_Result,
                        0,
                        0,
                        name() + ": MiniportOidRequest(" + e.request + ") returned null; it returns an NDIS_STATUS");
            }
            if (returned == NdisStatus.PENDING) {
                if (e.stage == Stage.COMPLETED_EARLY) {
                    status = e.earlyStatus;
                    done = finishLocked(e, status);
                } else {
                    e.stage = Stage.PENDING;
                    status = null;
                }
            } else {
                if (e.stage == Stage.COMPLETED_EARLY) {
                    e.returnedSynchronously = true;
                    throw doubleComplete(e, e.earlyStatus);
                }
                e.returnedSynchronously = true;
                status = returned;
                done = finishLocked(e, status);
            }
        }
        if (done != null) {
            afterFinish(done, status);
        }
    }

    /** Checks the results, retires the in-flight request and remembers what NDIS caches. Holds the lock. */
    private Entry finishLocked(Entry e, NdisStatus status) {
        checkResults(e.request, status);
        e.stage = Stage.DONE;
        inFlight = null;
        finished.addLast(e);
        if (finished.size() > FINISHED_MEMORY) {
            finished.removeFirst();
        }
        NdisOidRequest r = e.request;
        if (status.isSuccess()
                && r.requestType() == NdisRequestType.NdisRequestSetInformation
                && r.inputBufferLength() >= 4) {
            if (r.oid() == Oid.OID_GEN_CURRENT_PACKET_FILTER) {
                packetFilter = r.readUlong(0);
            } else if (r.oid() == Oid.OID_GEN_CURRENT_LOOKAHEAD) {
                currentLookahead = r.readUlong(0);
            }
        }
        idleEvent().set();
        return e;
    }

    private void afterFinish(Entry e, NdisStatus status) {
        Trace.log(
                "%s: %s completed: %s, written %d, read %d, needed %d",
                name(), e.request, status, e.request.bytesWritten(), e.request.bytesRead(), e.request.bytesNeeded());
        deliverCompletion(e, status);
        schedulePump();
    }

    private void deliverCompletion(Entry e, NdisStatus status) {
        PendingOidRequests.of(kernel()).remove(e.request);
        e.completion.accept(status);
    }

    private void checkResults(NdisOidRequest r, NdisStatus status) {
        String problem = null;
        if (r.bytesWritten() < 0 || r.bytesWritten() > r.outputBufferLength()) {
            problem = "BytesWritten " + r.bytesWritten() + " but the output room is " + r.outputBufferLength();
        } else if (r.bytesRead() < 0 || r.bytesRead() > r.inputBufferLength()) {
            problem = "BytesRead " + r.bytesRead() + " but the input is " + r.inputBufferLength() + " bytes";
        } else if (status == NdisStatus.BUFFER_TOO_SHORT && r.bytesNeeded() <= r.informationBufferLength()) {
            problem = "BUFFER_TOO_SHORT with BytesNeeded " + r.bytesNeeded() + " for a " + r.informationBufferLength()
                    + "-byte buffer; BytesNeeded says how much it takes";
        }
        if (problem != null) {
            throw Verifier.violation(
                    kernel(),
                    Rule.OidRequest_Result,
                    r.oid(),
                    status.code(),
                    name() + ": " + r + " -> " + status + ": " + problem);
        }
    }

    private void schedulePump() {
        synchronized (lock) {
            if (pumpQueued || inFlight != null || halting || queue.isEmpty()) {
                return;
            }
            pumpQueued = true;
        }
        kernel().queueWorkItem(WorkQueueType.DelayedWorkQueue, null, pump);
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Why NDIS refuses a request now (adapter not started or going away), or null. */
    private NdisStatus refusal() {
        synchronized (lock) {
            if (halting) {
                return NdisStatus.ADAPTER_REMOVED;
            }
        }
        return switch (adapter.state()) {
            case Paused, Restarting, Running, Pausing -> null;
            case Initializing -> NdisStatus.ADAPTER_NOT_READY;
            case Halted, Shutdown -> NdisStatus.ADAPTER_REMOVED;
        };
    }

    private NdisOidAnswers.Known known() {
        MiniportAdapterGeneralAttributes general = adapter.generalAttributes();
        synchronized (lock) {
            return new NdisOidAnswers.Known(
                    general,
                    adapter.linkState(),
                    packetFilter,
                    currentLookahead != null ? currentLookahead : general.lookaheadSize());
        }
    }

    private KEvent idleEvent() {
        if (idle == null) {
            idle = kernel().initializeEvent(true);
        }
        return idle;
    }

    /**
     * Before MiniportHaltEx, at PASSIVE_LEVEL: refuse new requests, abort the queued ones with
     * NDIS_STATUS_REQUEST_ABORTED, and wait for the miniport to complete the one it holds. A request
     * still pending after the grace period is rule OidRequest_PendingAtHalt.
     */
    void beforeHalt() {
        List<Entry> aborted;
        KEvent done;
        Duration grace;
        synchronized (lock) {
            halting = true;
            aborted = new ArrayList<>(queue);
            queue.clear();
            done = idleEvent();
            grace = haltGrace;
        }
        for (Entry e : aborted) {
            Trace.log("%s: %s aborted: the adapter halts", name(), e.request);
            deliverCompletion(e, NdisStatus.REQUEST_ABORTED);
        }
        Kernel kernel = kernel();
        long deadline = kernel.nanoTime() + grace.toNanos();
        try {
            while (!done.await(Math.min(100_000_000L, Math.max(1L, deadline - kernel.nanoTime())))) {
                kernel.checkAlive();
                if (kernel.nanoTime() >= deadline) {
                    Entry held;
                    synchronized (lock) {
                        held = inFlight;
                    }
                    if (held == null) {
                        break;
                    }
                    throw Verifier.violation(
                            kernel,
                            Rule.OidRequest_PendingAtHalt,
                            held.request.oid(),
                            grace.toMillis(),
                            name() + ": " + held.request + " still pends in the miniport "
                                    + grace.toMillis() + " ms after NDIS began to halt the adapter; NDIS does not "
                                    + "call MiniportHaltEx while an OID request is outstanding");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while halt waits for an OID request", e);
        }
    }

    // ---- calling the driver -------------------------------------------------------------------

    private MiniportDriver<Object> characteristics() {
        return adapter.driver().characteristics();
    }
}
