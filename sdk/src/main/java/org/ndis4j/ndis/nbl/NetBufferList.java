package org.ndis4j.ndis.nbl;

import org.ndis4j.ndis.NdisHandle;
import org.ndis4j.ndis.NdisStatus;

/**
 * NET_BUFFER_LIST: one packet's NET_BUFFERs plus what travels with them (status, flags, the
 * source handle, the reserved areas, the cancel id). NBLs are linked into chains through
 * {@link #next()}; every data-path call takes the head of a chain.
 *
 * <pre>
 *   chain ──► NBL ──next──► NBL ──next──► NBL ──► null
 *              │             │             │
 *         firstNetBuffer  firstNetBuffer  firstNetBuffer
 *              ▼             ▼             ▼
 *             NB ──► null   NB            NB
 *              │             │             │
 *           ByteBuf       ByteBuf       ByteBuf   (pooled frame memory)
 * </pre>
 *
 * <p>The C macros are methods: NET_BUFFER_LIST_NEXT_NBL → {@link #next()}, NET_BUFFER_LIST_FIRST_NB
 * → {@link #firstNetBuffer()}, NET_BUFFER_LIST_STATUS → {@link #status()} /
 * {@link #setStatus(NdisStatus)}, NDIS_SET_NET_BUFFER_LIST_CANCEL_ID → {@link #setCancelId(long)}, …
 * (docs/api-mapping.md lists them all).
 *
 * <p>NBL objects are recycled by their pool: after {@code Ndis.freeNetBufferList} the object goes
 * to the back of the pool's free list and is handed out again later, so a reference kept past the
 * free is a bug the verifier reports (Nbl_UseAfterFree) for as long as the object stays free. Not
 * thread-safe: only the current owner (see docs/data-path.md) touches an NBL.
 */
public final class NetBufferList {

    /** The pool the NBL came from and returns to. */
    final NetBufferListPool pool;
    /** The NET_BUFFER the pool attached (fAllocateNetBuffer), or null. */
    final NetBuffer ownNetBuffer;

    private NetBufferList next;
    private NetBuffer firstNetBuffer;
    private NdisHandle sourceHandle;
    private NdisStatus status = NdisStatus.SUCCESS;
    private int flags;
    private int nblFlags;
    private Object miniportReserved;
    private Object protocolReserved;
    private long cancelId;

    /** Ownership, for the verifier: one of NblOwnership's states. Written with a CAS. */
    volatile int state = NblOwnership.FREE;
    /** The adapter handle the NBL is with (sent to / indicated by), or the last one it was with. */
    NdisHandle holder;
    /** The last ownership event ({@link NblOwnership}), for precise violation messages. */
    int lastEvent;

    NetBufferList(NetBufferListPool pool, NetBuffer ownNetBuffer) {
        this.pool = pool;
        this.ownNetBuffer = ownNetBuffer;
    }

    /** NET_BUFFER_LIST_NEXT_NBL: the next NBL of the chain, or null. */
    public NetBufferList next() {
        return next;
    }

    /** NET_BUFFER_LIST_NEXT_NBL as an lvalue: links (or, with null, ends) a chain. */
    public void setNext(NetBufferList next) {
        this.next = next;
    }

    /** NET_BUFFER_LIST_FIRST_NB: the first NET_BUFFER, or null for an NBL without data. */
    public NetBuffer firstNetBuffer() {
        return firstNetBuffer;
    }

    /**
     * SourceHandle: NDIS sets it to the miniport adapter handle when the NBL is indicated up, so the
     * return finds its way back down; a protocol sets it to its binding handle (a filter to its filter
     * module handle) before sending its own NBLs, so the completion finds its way back up.
     */
    public NdisHandle sourceHandle() {
        return sourceHandle;
    }

    /** NET_BUFFER_LIST_STATUS: the final status of a send, set by the miniport before completing. */
    public NdisStatus status() {
        return status;
    }

    public void setStatus(NdisStatus status) {
        this.status = status;
    }

    /** NET_BUFFER_LIST_FLAGS (NBL_FLAGS_*): generic flags, for whoever owns the NBL. */
    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    /** NdisTestNblFlag / NdisSetNblFlag (the NblFlags word, NDIS_NBL_FLAGS_*). */
    public int nblFlags() {
        return nblFlags;
    }

    public void setNblFlags(int nblFlags) {
        this.nblFlags = nblFlags;
    }

    /** MiniportReserved: the miniport's slot while it owns the NBL (netvmini keeps its TCB/RCB here). */
    public Object miniportReserved() {
        return miniportReserved;
    }

    public void setMiniportReserved(Object miniportReserved) {
        this.miniportReserved = miniportReserved;
    }

    /** ProtocolReserved: the protocol's (or test upper edge's) slot while it owns the NBL. */
    public Object protocolReserved() {
        return protocolReserved;
    }

    public void setProtocolReserved(Object protocolReserved) {
        this.protocolReserved = protocolReserved;
    }

    /** NDIS_GET_NET_BUFFER_LIST_CANCEL_ID: 0 when the sender set none. */
    public long cancelId() {
        return cancelId;
    }

    /**
     * NDIS_SET_NET_BUFFER_LIST_CANCEL_ID: by convention the high byte is a partial id from
     * {@code Ndis.generatePartialCancelId()} and the rest the sender's own counter.
     */
    public void setCancelId(long cancelId) {
        this.cancelId = cancelId;
    }

    /** NdisGetPoolFromNetBufferList. */
    public NetBufferListPool pool() {
        return pool;
    }

    /** The number of NBLs in the chain that starts here (a chain must not loop). */
    public static int count(NetBufferList chain) {
        int n = 0;
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next) {
            n++;
        }
        return n;
    }

    /** True while the NBL is allocated (not back in its pool). */
    public boolean isAllocated() {
        return state != NblOwnership.FREE;
    }

    /** SourceHandle as an lvalue: a protocol or filter stamps the NBLs it sends (see {@link #sourceHandle()}). */
    public void setSourceHandle(NdisHandle sourceHandle) {
        this.sourceHandle = sourceHandle;
    }

    /** Fresh fields for a new allocation; the NET_BUFFER is attached by the pool. */
    void reset(NetBuffer first) {
        next = null;
        firstNetBuffer = first;
        sourceHandle = null;
        status = NdisStatus.SUCCESS;
        flags = 0;
        nblFlags = 0;
        miniportReserved = null;
        protocolReserved = null;
        cancelId = 0;
        holder = null;
        lastEvent = NblOwnership.EVENT_ALLOCATED;
    }

    @Override
    public String toString() {
        return "NET_BUFFER_LIST@" + Integer.toHexString(System.identityHashCode(this)) + "[" + pool.name() + ", "
                + NblOwnership.describe(this) + "]";
    }
}
