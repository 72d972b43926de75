package org.ndis4j.ndis.internal;

import static org.ndis4j.ndis.internal.DriverCalls.MINIPORT_RETURN;
import static org.ndis4j.ndis.internal.DriverCalls.MINIPORT_SEND;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's side of one adapter's data path: sends handed down and their completions, receive
 * indications and their returns, the counts pause and halt check, and the NBL pools allocated with
 * the adapter handle.
 *
 * <pre>
 *   stack ── sendFromAbove ──► MiniportSendNetBufferLists ─ … ─► NdisMSendNetBufferListsComplete ─► sendComplete ─► stack
 *   stack ◄── receiveAbove ◄── indicate ◄── NdisMIndicateReceiveNetBufferLists
 *   stack ── returnFromAbove ──► MiniportReturnNetBufferLists          (not with NDIS_RECEIVE_FLAGS_RESOURCES)
 * </pre>
 * The stack above is the adapter's {@link StackDataPath}: filters and protocol bindings, or nobody
 * (then NDIS returns indications at once).
 *
 * States, as the WDK's "Miniport Adapter States and Operations" gives them: sends reach
 * MiniportSendNetBufferLists while Running and while Pausing (where the miniport must reject each
 * new one with NDIS_STATUS_PAUSED); while Paused or Restarting NDIS completes sends itself with
 * NDIS_STATUS_PAUSED, the miniport never sees them. Receive indications are legal from the moment
 * NDIS calls MiniportRestart (Restarting), while Running, and while Pausing until the pause
 * completes. When it completes nothing may be outstanding (Nbl_OutstandingAtPause). Halt: nothing
 * may be outstanding when MiniportHaltEx returns, and the pools allocated with the adapter handle
 * must be freed.
 *
 * <p>Steady state allocates nothing: chains are walked in place, counts are ints under one lock.
 */
public final class MiniportDataPath {

    private final MiniportAdapter adapter;
    private final StackDataPath stack;

    /** Guards every field below. */
    private final Object lock = new Object();
    /** NBLs sent to the miniport and not completed. */
    private int sentOutstanding;
    /** Of those, the ones sent while the adapter was Pausing (to be rejected with PAUSED at once). */
    private int sentWhilePausingOutstanding;
    /** NBLs indicated and not returned (RESOURCES ones while their indication runs). */
    private int indicatedOutstanding;
    /** Set when a pause has drained its receives: from then on until the next pause, no indication. */
    private boolean receivesDrained;
    /** NBLs the miniport completed, ever (check-for-hang looks whether sends make progress). */
    private long sendsCompleted;
    /** {@link #sendsCompleted} at the last check-for-hang tick. */
    private long sendsCompletedAtLastTick;
    /** Check-for-hang ticks in a row that found sends outstanding and none completed since the last. */
    private int stalledTicks;

    private final Set<NblPool> pools = new LinkedHashSet<>();

    MiniportDataPath(MiniportAdapter adapter, StackDataPath stack) {
        this.adapter = adapter;
        this.stack = stack;
    }

    private Kernel kernel() {
        return adapter.kernel();
    }

    // ---- send -------------------------------------------------------------------------------

    /**
     * NdisSendNetBufferLists, from the stack above. IRQL &lt;= DISPATCH_LEVEL. Running or Pausing: to
     * MiniportSendNetBufferLists (Pausing: the miniport must reject them with NDIS_STATUS_PAUSED);
     * Paused or Restarting: NDIS completes them with NDIS_STATUS_PAUSED; otherwise with
     * NDIS_STATUS_ADAPTER_NOT_READY.
     */
    void sendFromAbove(NetBufferList chain, int portNumber, int sendFlags) {
        Kernel kernel = kernel();
        Irql irql =
                Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, "NdisSendNetBufferLists");
        int n = NblOwnership.beginSend(kernel, chain, adapter, "NdisSendNetBufferLists");
        AdapterState state;
        synchronized (lock) {
            state = adapter.state();
            if (state == AdapterState.Running || state == AdapterState.Pausing) {
                sentOutstanding += n;
            }
            if (state == AdapterState.Pausing) {
                sentWhilePausingOutstanding += n;
                NblOwnership.markSentWhilePausing(chain);
            }
        }
        boolean dispatch = irql == Irql.DISPATCH_LEVEL;
        if (state != AdapterState.Running && state != AdapterState.Pausing) {
            // Paused, Restarting (or not started): the data path is diverted, NDIS completes the sends.
            NblOwnership.completeByNdis(
                    chain,
                    state == AdapterState.Paused || state == AdapterState.Restarting
                            ? NdisStatus.PAUSED
                            : NdisStatus.ADAPTER_NOT_READY);
            stack.completeAbove(-1, chain, dispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
            return;
        }
        int flags = dispatch ? sendFlags | NDIS_SEND_FLAGS_DISPATCH_LEVEL : sendFlags & ~NDIS_SEND_FLAGS_DISPATCH_LEVEL;
        DriverCalls.nbl(adapter, MINIPORT_SEND, chain, portNumber, flags, 0);
    }

    /** NdisMSendNetBufferListsComplete. IRQL &lt;= DISPATCH_LEVEL. */
    public void sendComplete(NetBufferList chain, int sendCompleteFlags) {
        Kernel kernel = kernel();
        Irql irql = Verifier.irqlAtMost(
                kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, "NdisMSendNetBufferListsComplete");
        checkDispatchFlag(
                kernel,
                irql,
                sendCompleteFlags & NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL,
                "NdisMSendNetBufferListsComplete",
                "NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL");
        int n = NblOwnership.completeSend(kernel, chain, adapter, "NdisMSendNetBufferListsComplete");
        synchronized (lock) {
            sentOutstanding -= n;
            sendsCompleted += n;
            if (sentWhilePausingOutstanding > 0) {
                sentWhilePausingOutstanding -= NblOwnership.countSentWhilePausing(chain);
            }
        }
        stack.completeAbove(-1, chain, sendCompleteFlags);
    }

    /** NdisCancelSendNetBufferLists: MiniportCancelSend. */
    public void cancelSend(long cancelId) {
        DriverCalls.run(
                adapter.driverName(), () -> adapter.driver().characteristics().cancelSend(adapter.context(), cancelId));
    }

    // ---- receive ----------------------------------------------------------------------------

    /** NdisMIndicateReceiveNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. */
    public void indicate(NetBufferList chain, int portNumber, int numberOfNbls, int receiveFlags) {
        Kernel kernel = kernel();
        String function = "NdisMIndicateReceiveNetBufferLists";
        Irql irql = Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, function);
        checkDispatchFlag(
                kernel,
                irql,
                receiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL,
                function,
                "NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL");
        synchronized (lock) {
            AdapterState state = adapter.state();
            boolean open = state == AdapterState.Running
                    || state == AdapterState.Restarting
                    || (state == AdapterState.Pausing && !receivesDrained);
            if (!open) {
                throw Verifier.violation(
                        kernel,
                        Rule.Receive_IndicationState,
                        state.ordinal(),
                        0,
                        adapter.name() + ": " + function + " while the adapter is " + state
                                + (state == AdapterState.Pausing ? " and its pause has completed" : "")
                                + "; a miniport indicates receives from the moment NDIS calls MiniportRestart, "
                                + "while Running, and while Pausing until its pause completes");
            }
            indicatedOutstanding += Math.max(numberOfNbls, 0);
        }
        boolean resources = (receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) != 0;
        NblOwnership.beginIndicate(kernel, chain, adapter, numberOfNbls, resources, function);
        try {
            stack.receiveAbove(-1, chain, portNumber, numberOfNbls, receiveFlags);
        } finally {
            if (resources) {
                NblOwnership.reclaimAfterIndicate(chain, numberOfNbls);
                released(numberOfNbls);
            }
        }
    }

    /** NdisReturnNetBufferLists from the stack: MiniportReturnNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. */
    void returnFromAbove(NetBufferList chain, int returnFlags) {
        Kernel kernel = kernel();
        Irql irql = Verifier.irqlAtMost(
                kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, "NdisReturnNetBufferLists");
        int n = NblOwnership.returnIndicated(kernel, chain, adapter, "NdisReturnNetBufferLists");
        int flags = irql == Irql.DISPATCH_LEVEL
                ? returnFlags | NDIS_RETURN_FLAGS_DISPATCH_LEVEL
                : returnFlags & ~NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
        released(n); // the NBLs are the miniport's again the moment NDIS hands them back
        DriverCalls.nbl(adapter, MINIPORT_RETURN, chain, flags, 0, 0);
    }

    private void released(int n) {
        synchronized (lock) {
            indicatedOutstanding -= n;
        }
    }

    // ---- pause and halt ---------------------------------------------------------------------

    /**
     * The adapter just became Pausing. NDIS calls MiniportPause at once: a send call already inside
     * MiniportSendNetBufferLists goes on beside it, and new sends keep reaching the miniport, which
     * rejects them (the WDK's "Pausing an Adapter").
     */
    void pausing() {
        synchronized (lock) {
            receivesDrained = false;
        }
    }

    /**
     * MiniportPause completed. The WDK requires the miniport to have completed every send and to have
     * got back every NBL it indicated first (rule Nbl_OutstandingAtPause); from here on receives are
     * closed.
     */
    void paused() {
        int sent;
        int sentWhilePausing;
        int indicated;
        synchronized (lock) {
            sent = sentOutstanding;
            sentWhilePausing = sentWhilePausingOutstanding;
            indicated = indicatedOutstanding;
            receivesDrained = true;
        }
        if (sent > 0 || indicated > 0) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Nbl_OutstandingAtPause,
                    sent,
                    indicated,
                    adapter.name()
                            + ": the pause completed with " + sent + " sent NBL(s) not completed"
                            + (sentWhilePausing > 0
                                    ? " (" + sentWhilePausing + " of them sent while the adapter was Pausing, which "
                                            + "MiniportSendNetBufferLists must complete at once with NDIS_STATUS_PAUSED)"
                                    : "")
                            + " and " + indicated + " indicated NBL(s) not returned; MiniportPause must complete "
                            + "sends and wait for its receives to come back before it completes");
        }
    }

    /**
     * MiniportHaltEx (or a MiniportInitializeEx that failed: {@code where}) returned: nothing
     * outstanding, every adapter-owned pool freed.
     */
    void halted(String where) {
        Kernel kernel = kernel();
        int sent;
        int indicated;
        List<NblPool> leaked;
        synchronized (lock) {
            sent = sentOutstanding;
            indicated = indicatedOutstanding;
            leaked = new ArrayList<>(pools);
        }
        if (sent > 0 || indicated > 0) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_OutstandingAtHalt,
                    sent,
                    indicated,
                    adapter.name()
                            + ": " + where + " returned with " + sent + " sent NBL(s) not completed and " + indicated
                            + " indicated NBL(s) not returned");
        }
        if (!leaked.isEmpty()) {
            throw Verifier.violation(
                    kernel,
                    Rule.NblPool_Leak,
                    leaked.size(),
                    0,
                    adapter.name() + ": "
                            + leaked.size()
                            + " NBL pool(s) allocated with the adapter handle were not freed by the end of "
                            + where + ": " + leaked,
                    leaked.stream().map(NblPool::allocationSite).toList());
        }
    }

    /**
     * A check-for-hang tick: a description when sends have been outstanding, with none completed, at
     * this tick and the one before ("a send request not responded to within two successive calls to
     * MiniportCheckForHangEx", NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES); null otherwise.
     */
    String checkForHangTick() {
        synchronized (lock) {
            boolean progress = sendsCompleted != sendsCompletedAtLastTick;
            sendsCompletedAtLastTick = sendsCompleted;
            stalledTicks = sentOutstanding > 0 && !progress ? stalledTicks + 1 : 0;
            return stalledTicks >= 2
                    ? sentOutstanding + " sent NBL(s) outstanding and none completed for two check-for-hang periods"
                    : null;
        }
    }

    /** NBLs sent to the miniport and not completed. */
    public int sendsOutstanding() {
        synchronized (lock) {
            return sentOutstanding;
        }
    }

    /** NBLs the miniport indicated and NDIS has not returned (an indication in progress included). */
    public int receivesOutstanding() {
        synchronized (lock) {
            return indicatedOutstanding;
        }
    }

    // ---- pools ------------------------------------------------------------------------------

    void poolAllocated(NblPool pool) {
        synchronized (lock) {
            pools.add(pool);
        }
    }

    void poolFreed(NblPool pool) {
        synchronized (lock) {
            pools.remove(pool);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A *_DISPATCH_LEVEL flag says the caller runs at DISPATCH_LEVEL; it must be true. */
    private static void checkDispatchFlag(Kernel kernel, Irql irql, int flag, String function, String flagName) {
        if (flag != 0 && irql != Irql.DISPATCH_LEVEL) {
            throw Verifier.violation(
                    kernel,
                    Rule.Irql_SendRcv_Function,
                    irql.level(),
                    Irql.DISPATCH_LEVEL.level(),
                    function + " with " + flagName + " called at " + irql
                            + "; the flag says the caller runs at DISPATCH_LEVEL");
        }
    }
}
