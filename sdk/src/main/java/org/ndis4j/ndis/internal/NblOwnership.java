package org.ndis4j.ndis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * Who owns each NBL, and the checks that catch a driver using one it does not own. NDIS-internal:
 * the NDIS library calls it on every send, completion, indication, return and free; drivers never
 * do.
 *
 * <pre>
 *                 allocate                       NdisSendNetBufferLists
 *   FREE ─────────────────────► OWNED ──────────────────────────────────► SENT (holder = adapter)
 *    ▲   NdisFreeNetBufferList    │  ▲ ◄── NdisMSendNetBufferListsComplete ─┘   (or NDIS completes it
 *    └────────────────────────────┘  │                                            with PAUSED itself)
 *                                    │ ◄── NdisReturnNetBufferLists ──────── INDICATED (holder = adapter)
 *                                    │ ◄── indication returns ───────────── INDICATED_RESOURCES
 *                                    └──── NdisMIndicateReceiveNetBufferLists ──►  (one of the two)
 * </pre>
 *
 * Each call first walks the whole chain and checks every NBL (so a bad chain changes nothing), then
 * moves each NBL with a compare-and-set, so that two processors completing the same NBL are caught
 * as well. No allocation: the walk is a pointer chase with Floyd's cycle check.
 */
final class NblOwnership {

    static final int FREE = 0;
    static final int OWNED = 1;
    static final int SENT = 2;
    static final int INDICATED = 3;
    static final int INDICATED_RESOURCES = 4;

    static final int EVENT_ALLOCATED = 0;
    static final int EVENT_SENT = 1;
    static final int EVENT_COMPLETED = 2;
    static final int EVENT_COMPLETED_BY_NDIS = 3;
    static final int EVENT_INDICATED = 4;
    static final int EVENT_RETURNED = 5;
    static final int EVENT_RECLAIMED = 6;
    static final int EVENT_FREED = 7;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Nbl.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NblOwnership() {}

    // ---- send -------------------------------------------------------------------------------

    /**
     * NdisSendNetBufferLists: every NBL is owned by the sender and has a NET_BUFFER; each becomes SENT
     * to {@code adapter} with status PENDING. Returns the number of NBLs.
     */
    static int beginSend(Kernel kernel, NetBufferList chain, NdisHandle adapter, String function) {
        int n = walk(kernel, chain, function);
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            int s = nbl.state;
            if (s != OWNED) {
                throw notOwned(kernel, nbl, s, function, "send");
            }
            if (nbl.firstNetBuffer() == null) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_InvalidParameter,
                        0,
                        0,
                        function + ": " + nbl + " has no NET_BUFFER; a sent NBL carries at least one");
            }
        }
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            nbl.holder = adapter;
            nbl.lastEvent = EVENT_SENT;
            nbl.setStatus(NdisStatus.PENDING);
            move(kernel, nbl, OWNED, SENT, function, "send");
        }
        return n;
    }

    /**
     * NdisMSendNetBufferListsComplete: every NBL was SENT to {@code adapter} and carries a final
     * status; each is OWNED by the sender again. Returns the number of NBLs.
     */
    static int completeSend(Kernel kernel, NetBufferList chain, NdisHandle adapter, String function) {
        int n = walk(kernel, chain, function);
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            int s = nbl.state;
            if (s != SENT || nbl.holder != adapter) {
                throw notSentHere(kernel, nbl, s, adapter, function);
            }
            NdisStatus status = nbl.status();
            if (status == null || status == NdisStatus.PENDING) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_InvalidParameter,
                        0,
                        0,
                        function + ": " + nbl + " completed with NET_BUFFER_LIST_STATUS " + status
                                + "; set the final status first");
            }
        }
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            if (!STATE.compareAndSet(nbl, SENT, OWNED)) {
                // Another processor completed it between the check and here.
                throw notSentHere(kernel, nbl, nbl.state, adapter, function);
            }
            nbl.lastEvent = EVENT_COMPLETED;
        }
        return n;
    }

    /** The chain was sent while the adapter was Pausing (for the report if the miniport keeps it). */
    static void markSentWhilePausing(NetBufferList chain) {
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            nbl.sentWhilePausing = true;
        }
    }

    /** How many NBLs of a completed chain were sent while the adapter was Pausing. */
    static int countSentWhilePausing(NetBufferList chain) {
        int n = 0;
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            if (nbl.sentWhilePausing) {
                nbl.sentWhilePausing = false;
                n++;
            }
        }
        return n;
    }

    /** NDIS completes a send itself (the adapter is paused): SENT → OWNED with {@code status}. */
    static void completeByNdis(NetBufferList chain, NdisStatus status) {
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            nbl.setStatus(status);
            nbl.lastEvent = EVENT_COMPLETED_BY_NDIS;
            nbl.state = OWNED;
        }
    }

    // ---- receive ----------------------------------------------------------------------------

    /**
     * NdisMIndicateReceiveNetBufferLists: {@code numberOfNbls} NBLs owned by the miniport, each
     * with a NET_BUFFER and with the miniport's own adapter handle as SourceHandle (the miniport sets
     * it, as netvmini does; NDIS returns each NBL to the driver its SourceHandle names, and leaves it
     * as the miniport set it: rule Receive_SourceHandle); each becomes INDICATED (or
     * INDICATED_RESOURCES).
     */
    static void beginIndicate(
            Kernel kernel,
            NetBufferList chain,
            NdisHandle adapter,
            int numberOfNbls,
            boolean resources,
            String function) {
        int n = walk(kernel, chain, function);
        if (n != numberOfNbls) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    n,
                    numberOfNbls,
                    function + ": NumberOfNetBufferLists is " + numberOfNbls + " but the chain holds " + n + " NBLs");
        }
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            int s = nbl.state;
            if (s != OWNED) {
                throw notOwned(kernel, nbl, s, function, "indicate");
            }
            if (nbl.firstNetBuffer() == null) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_InvalidParameter,
                        0,
                        0,
                        function + ": " + nbl + " has no NET_BUFFER; an indicated NBL carries at least one");
            }
            NdisHandle source = nbl.sourceHandle();
            if (source != adapter) {
                throw Verifier.violation(
                        kernel,
                        Rule.Receive_SourceHandle,
                        source == null ? 0 : source.kind() == adapter.kind() ? 1 : 2,
                        0,
                        function + " by " + adapter.name() + ": " + nbl + " has SourceHandle "
                                + (source == null ? "NULL" : source.toString())
                                + "; a miniport sets each NBL it indicates to its own MiniportAdapterHandle "
                                + "(NDIS returns the NBL to the driver SourceHandle names)",
                        nbl.sites());
            }
        }
        int to = resources ? INDICATED_RESOURCES : INDICATED;
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            nbl.holder = adapter;
            nbl.lastEvent = EVENT_INDICATED;
            move(kernel, nbl, OWNED, to, function, "indicate");
        }
    }

    /** The indication with NDIS_RECEIVE_FLAGS_RESOURCES returned: the miniport owns the NBLs again. */
    static void reclaimAfterIndicate(NetBufferList chain, int numberOfNbls) {
        Nbl nbl = (Nbl) chain;
        for (int i = 0; i < numberOfNbls && nbl != null; i++, nbl = (Nbl) nbl.next()) {
            nbl.lastEvent = EVENT_RECLAIMED;
            STATE.compareAndSet(nbl, INDICATED_RESOURCES, OWNED);
        }
    }

    /**
     * NdisReturnNetBufferLists: every NBL was INDICATED by {@code adapter} (without RESOURCES); each is
     * OWNED by the miniport again. Returns the number of NBLs.
     */
    static int returnIndicated(Kernel kernel, NetBufferList chain, NdisHandle adapter, String function) {
        int n = walk(kernel, chain, function);
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            int s = nbl.state;
            if (s != INDICATED || nbl.holder != adapter) {
                throw notIndicatedHere(kernel, nbl, s, adapter, function);
            }
        }
        for (Nbl nbl = (Nbl) chain; nbl != null; nbl = (Nbl) nbl.next()) {
            if (!STATE.compareAndSet(nbl, INDICATED, OWNED)) {
                throw notIndicatedHere(kernel, nbl, nbl.state, adapter, function);
            }
            nbl.lastEvent = EVENT_RETURNED;
        }
        return n;
    }

    // ---- allocation -------------------------------------------------------------------------

    /** NdisFreeNetBufferList: the NBL is allocated and not with anyone else. OWNED → FREE. */
    static void free(Kernel kernel, Nbl nbl, String function) {
        int s = nbl.state;
        if (s != OWNED) {
            throw notOwned(kernel, nbl, s, function, "free");
        }
        nbl.lastEvent = EVENT_FREED;
        move(kernel, nbl, OWNED, FREE, function, "free");
    }

    /** A new allocation: FREE → OWNED. */
    static void allocated(Nbl nbl) {
        nbl.state = OWNED;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Counts the chain, refusing null and loops (Floyd: a fast pointer runs two links per step). */
    static int walk(Kernel kernel, NetBufferList chain, String function) {
        if (chain == null) {
            throw Verifier.violation(kernel, Rule.Nbl_InvalidParameter, 0, 0, function + " with a NULL NBL chain");
        }
        int n = 0;
        NetBufferList slow = chain;
        NetBufferList fast = chain;
        while (fast != null) {
            checkMadeByNdis(kernel, fast, function);
            n++;
            fast = fast.next();
            if (fast == null) {
                break;
            }
            checkMadeByNdis(kernel, fast, function);
            n++;
            fast = fast.next();
            slow = slow.next();
            if (fast == slow) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_InvalidParameter,
                        0,
                        0,
                        function + ": the NBL chain loops back on itself (an NBL is linked twice) at " + slow);
            }
        }
        return n;
    }

    /** An NBL a driver made itself (NDIS allocates every NBL) is an invalid parameter. */
    private static void checkMadeByNdis(Kernel kernel, NetBufferList nbl, String function) {
        if (!(nbl instanceof Nbl)) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    0,
                    0,
                    function + ": " + nbl + " was not allocated by NdisAllocateNetBufferList*");
        }
    }

    private static void move(Kernel kernel, Nbl nbl, int from, int to, String function, String verb) {
        if (!STATE.compareAndSet(nbl, from, to)) {
            throw notOwned(kernel, nbl, nbl.state, function, verb);
        }
    }

    private static RuntimeException notOwned(Kernel kernel, Nbl nbl, int s, String function, String verb) {
        if (s == FREE) {
            return useAfterFree(kernel, nbl, function);
        }
        String where = switch (s) {
            case SENT -> "it was sent to " + nbl.holder.name() + " and not completed yet";
            case INDICATED -> "it was indicated by " + nbl.holder.name() + " and not returned yet";
            case INDICATED_RESOURCES ->
                "it is being indicated by " + nbl.holder.name()
                        + " (NDIS_RECEIVE_FLAGS_RESOURCES) and the indication has not returned";
            default -> "it is in state " + s;
        };
        return Verifier.violation(
                kernel,
                Rule.Nbl_NotOwned,
                s,
                OWNED,
                function + " cannot " + verb + " " + nbl + ": " + where,
                nbl.sites()[0]);
    }

    private static RuntimeException notSentHere(Kernel kernel, Nbl nbl, int s, NdisHandle adapter, String function) {
        if (s == FREE) {
            return useAfterFree(kernel, nbl, function);
        }
        if (s == OWNED && nbl.holder == adapter && nbl.lastEvent == EVENT_COMPLETED) {
            return Verifier.violation(
                    kernel,
                    Rule.Nbl_DoubleComplete,
                    s,
                    SENT,
                    function + ": " + nbl + " was already completed by " + adapter.name()
                            + "; each sent NBL is completed exactly once",
                    nbl.sites()[0]);
        }
        String why = switch (s) {
            case SENT -> "it was sent to " + nbl.holder.name() + ", not to " + adapter.name();
            case INDICATED, INDICATED_RESOURCES ->
                "it is an NBL " + nbl.holder.name()
                        + " indicated up; receive NBLs come back through MiniportReturnNetBufferLists";
            default ->
                nbl.lastEvent == EVENT_COMPLETED_BY_NDIS
                        ? "NDIS completed it itself (the adapter was paused) and never gave it to the miniport"
                        : "NDIS never sent it to " + adapter.name();
        };
        return Verifier.violation(
                kernel, Rule.Nbl_CompleteNotSent, s, SENT, function + ": " + nbl + ": " + why, nbl.sites()[0]);
    }

    private static RuntimeException notIndicatedHere(
            Kernel kernel, Nbl nbl, int s, NdisHandle adapter, String function) {
        if (s == FREE) {
            return useAfterFree(kernel, nbl, function);
        }
        String why;
        if (s == INDICATED_RESOURCES || (s == OWNED && nbl.lastEvent == EVENT_RECLAIMED)) {
            why = "it was indicated with NDIS_RECEIVE_FLAGS_RESOURCES: the miniport owns it again when the "
                    + "indication returns, and it is never returned";
        } else if (s == OWNED && nbl.lastEvent == EVENT_RETURNED) {
            why = "it was already returned";
        } else if (s == INDICATED) {
            why = "it was indicated by " + nbl.holder.name() + ", not by " + adapter.name();
        } else {
            why = "it was never indicated by " + adapter.name() + " (" + describe(nbl) + ")";
        }
        return Verifier.violation(
                kernel, Rule.Nbl_NotOwned, s, INDICATED, function + ": " + nbl + ": " + why, nbl.sites()[0]);
    }

    static RuntimeException useAfterFree(Kernel kernel, Nbl nbl, String function) {
        return Verifier.violation(
                kernel,
                Rule.Nbl_UseAfterFree,
                FREE,
                OWNED,
                function + " on " + nbl
                        + ", which was freed with NdisFreeNetBufferList (NBL objects are recycled: keep no reference)",
                nbl.sites());
    }

    /** "sent to vmini/vnic0", "free", … for messages. */
    static String describe(Nbl nbl) {
        NdisHandle h = nbl.holder;
        return switch (nbl.state) {
            case FREE -> "free";
            case OWNED -> "owned";
            case SENT -> "sent to " + (h == null ? "?" : h.name());
            case INDICATED -> "indicated by " + (h == null ? "?" : h.name());
            case INDICATED_RESOURCES -> "indicated (RESOURCES) by " + (h == null ? "?" : h.name());
            default -> "state " + nbl.state;
        };
    }
}
