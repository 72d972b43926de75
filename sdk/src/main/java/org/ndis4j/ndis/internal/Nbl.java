package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisHandle;

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

    Nbl(NblPool pool, Nb ownNetBuffer) {
        this.pool = pool;
        this.ownNetBuffer = ownNetBuffer;
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
    }

    @Override
    public String toString() {
        return "NET_BUFFER_LIST@" + Integer.toHexString(System.identityHashCode(this)) + "[" + pool.name() + ", "
                + NblOwnership.describe(this) + "]";
    }
}
