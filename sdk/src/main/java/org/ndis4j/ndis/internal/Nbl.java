package org.ndis4j.ndis.internal;

import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.verifier.AllocationSites;

/**
 * NDIS's NET_BUFFER_LIST: the driver-visible fields of {@link NetBufferList} plus NDIS's ownership
 * record, which the verifier reads on every send, completion, indication, return and free.
 */
final class Nbl extends NetBufferList {

    /** The pool the NBL came from and returns to. */
    final NblPool pool;
    /** The NET_BUFFER the pool attached (fAllocateNetBuffer), or null. */
    final Nb ownNetBuffer;

    /** Ownership: one of {@link NblOwnership}'s states. Written with a CAS. */
    volatile int state = NblOwnership.FREE;
    /** The adapter handle the NBL is with (sent to / indicated by), or the last one it was with. */
    NdisHandle holder;
    /** The last ownership event ({@link NblOwnership}), for precise violation messages. */
    int lastEvent;
    /** Sent to the miniport while its adapter was Pausing: it must reject it with NDIS_STATUS_PAUSED. */
    boolean sentWhilePausing;
    /** Where the driver allocated it (this time), when the kernel records allocation stacks. */
    List<String> allocatedAt = List.of();
    /** Where the driver last freed it, when stacks are recorded: a use after free names both. */
    List<String> freedAt = List.of();

    /** The NBL's number on its machine (in messages instead of an address). */
    private final int number;

    Nbl(NblPool pool, Nb ownNetBuffer, int number) {
        this.pool = pool;
        this.ownNetBuffer = ownNetBuffer;
        this.number = number;
    }

    @Override
    public NblPool pool() {
        return pool;
    }

    @Override
    public boolean isAllocated() {
        return state != NblOwnership.FREE;
    }

    /** Fresh fields for a new allocation (or a free), with {@code first} attached. */
    void reset(Nb first, int event) {
        resetFields(first);
        holder = null;
        lastEvent = event;
        sentWhilePausing = false;
    }

    /** Where the driver allocated this NBL, and where it freed it last; nulls when not recorded. */
    AllocationSite[] sites() {
        return new AllocationSite[] {
            AllocationSites.of(this + " allocated", allocatedAt), AllocationSites.of(this + " freed", freedAt)
        };
    }

    @Override
    public String toString() {
        return "NET_BUFFER_LIST#" + number + "[" + pool.name() + ", " + NblOwnership.describe(this) + "]";
    }
}
