package org.ndis4j.ndis.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ndis4j.host.NdisOidClient;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
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
 * and NDIS waits (up to {@link #DEFAULT_HALT_GRACE}) for the one the miniport holds. NDIS's watchdog
 * times each request from MiniportOidRequest to its completion (0x7C / 0x25 / 0x23, parameter 4 = the
 * OID). While the adapter resets, NDIS hands the miniport no request; a request the miniport holds at
 * two successive check-for-hang ticks makes NDIS reset the adapter, and after a reset with
 * AddressingReset NDIS sets the packet filter and the multicast list again, ahead of the queue.
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
        /** The watchdog's timer while the miniport has the request. */
        NdisWatchdog.Watch watch;
        /** Check-for-hang ticks that found this request in the miniport. */
        int checkForHangTicks;

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
    /** The multicast list last set successfully, or null when none was ever set. */
    private byte[] multicastList;

    private Integer currentLookahead;
    /** A reset is in progress: no request goes to the miniport. */
    private boolean resetting;
    /** The request the miniport held when the reset began, or null. */
    private Entry heldAtReset;

    private Duration haltGrace = DEFAULT_HALT_GRACE;

    /** Counted for the host (AdapterView.oidRequests): requests issued, answered by NDIS, by the miniport, failed. */
    private final LongAdder requests = new LongAdder();

    private final LongAdder answeredByNdis = new LongAdder();
    private final LongAdder completedByMiniport = new LongAdder();
    private final LongAdder failed = new LongAdder();

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

    /** Requests issued on the adapter (NdisOidRequest from bindings, filters, hosts). */
    public long requests() {
        return requests.sum();
    }

    /** Requests NDIS answered itself, without MiniportOidRequest. */
    public long answeredByNdis() {
        return answeredByNdis.sum();
    }

    /** Requests MiniportOidRequest completed (synchronously or with NdisMOidRequestComplete). */
    public long completedByMiniport() {
        return completedByMiniport.sum();
    }

    /** Requests whose final status was a failure: refused, failed by NDIS or the miniport, or aborted. */
    public long failed() {
        return failed.sum();
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
        requests.increment();
        NdisStatus refused = refusal();
        if (refused != null) {
            Trace.log("%s: %s -> %s (adapter is %s)", name(), request, refused, adapter.state());
            failed.increment();
            return refused;
        }
        NdisStatus answered = NdisOidAnswers.answer(known(), request);
        if (answered != null) {
            Trace.log("%s: NDIS answers %s -> %s, %d bytes", name(), request, answered, request.bytesWritten());
            answeredByNdis.increment();
            if (!answered.isSuccess()) {
                failed.increment();
            }
            return answered;
        }
        Entry entry = new Entry(request, completion);
        synchronized (lock) {
            if (halting) {
                failed.increment();
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
            if (inFlight != null || halting || resetting || queue.isEmpty()) {
                return;
            }
            e = queue.pollFirst();
            e.stage = Stage.DELIVERING;
            inFlight = e;
            idleEvent().reset();
            e.watch = adapter.watch(WatchedOperation.MINIPORT_OID, e.request.oid());
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
        if (e.watch != null) {
            e.watch.stop();
            e.watch = null;
        }
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
        if (status.isSuccess()
                && r.requestType() == NdisRequestType.NdisRequestSetInformation
                && r.oid() == Oid.OID_802_3_MULTICAST_LIST) {
            multicastList = r.readInformation(); // what NDIS sets again after a reset with AddressingReset
        }
        idleEvent().set();
        return e;
    }

    private void afterFinish(Entry e, NdisStatus status) {
        completedByMiniport.increment();
        Trace.log(
                "%s: %s completed: %s, written %d, read %d, needed %d",
                name(), e.request, status, e.request.bytesWritten(), e.request.bytesRead(), e.request.bytesNeeded());
        deliverCompletion(e, status);
        schedulePump();
    }

    private void deliverCompletion(Entry e, NdisStatus status) {
        if (!status.isSuccess()) {
            failed.increment();
        }
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
            if (pumpQueued || inFlight != null || halting || resetting || queue.isEmpty()) {
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
        // The grace is semantics (the rule below), not a hang: a WORK time-out.
        if (kernel.waitFor("halt: the OID request the miniport holds", done, grace.toNanos(), WaitKind.WORK)) {
            return;
        }
        Entry held;
        synchronized (lock) {
            held = inFlight;
        }
        if (held != null) {
            throw Verifier.violation(
                    kernel,
                    Rule.OidRequest_PendingAtHalt,
                    held.request.oid(),
                    grace.toMillis(),
                    name() + ": " + held.request + " still pends in the miniport " + grace.toMillis()
                            + " ms after NDIS began to halt the adapter; NDIS does not call MiniportHaltEx while "
                            + "an OID request is outstanding");
        }
    }

    // ---- check for hang and reset (MiniportReset) ----------------------------------------------

    /**
     * A check-for-hang tick: the description of the request the miniport has held at this tick and the
     * one before ("not completed within two successive calls to MiniportCheckForHangEx"), or null.
     */
    String checkForHangTick() {
        synchronized (lock) {
            Entry e = inFlight;
            if (e == null || e.stage == Stage.DONE) {
                return null;
            }
            if (++e.checkForHangTicks < 2) {
                return null;
            }
            return e.request + " has not completed within two check-for-hang periods";
        }
    }

    /** A reset begins: no request goes to the miniport until it ends; remember the one it holds. */
    void resetStarted() {
        synchronized (lock) {
            resetting = true;
            heldAtReset = inFlight != null && inFlight.stage != Stage.DONE ? inFlight : null;
        }
    }

    /**
     * The reset ended. Returns the request the miniport held when it began and holds still (a
     * violation since NDIS 6.30), or null. With {@code restoreAddressing}, NDIS's own requests that
     * set the packet filter and the multicast list again go ahead of the queue; then requests flow.
     */
    String resetEnded(boolean restoreAddressing) {
        String held;
        synchronized (lock) {
            Entry e = heldAtReset;
            heldAtReset = null;
            held = e != null && e.stage != Stage.DONE ? e.request.toString() : null;
            if (restoreAddressing) {
                if (multicastList != null) {
                    queue.addFirst(restoreRequest(NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, multicastList)));
                }
                queue.addFirst(
                        restoreRequest(NdisOidRequest.setUlong(Oid.OID_GEN_CURRENT_PACKET_FILTER, packetFilter)));
            }
            resetting = false;
        }
        schedulePump();
        return held;
    }

    /** A request NDIS issues itself (AddressingReset): its completion only goes to the trace. */
    private Entry restoreRequest(NdisOidRequest request) {
        PendingOidRequests.of(kernel()).add(request, adapter);
        return new Entry(
                request, status -> Trace.log("%s: NDIS restored %s after the reset: %s", name(), request, status));
    }

    // ---- calling the driver -------------------------------------------------------------------

    private MiniportDriver<Object> characteristics() {
        return adapter.driver().characteristics();
    }
}
