package org.ndis4j.ndis.nbl;

import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisStatus;

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
 * thread-safe: only the current owner (see docs/data-path.md) touches an NBL. NDIS's engine makes
 * every NBL (it keeps its ownership record beside these fields); a driver only allocates them
 * through {@code Ndis}.
 */
public abstract class NetBufferList {

    private NetBufferList next;
    private NetBuffer firstNetBuffer;
    private NdisHandle sourceHandle;
    private NdisStatus status = NdisStatus.SUCCESS;
    private int flags;
    private int nblFlags;
    private Object miniportReserved;
    private Object protocolReserved;
    private long cancelId;

    /** For NDIS's engine, which makes every NBL. */
    protected NetBufferList() {}

    /** NET_BUFFER_LIST_NEXT_NBL: the next NBL of the chain, or null. */
    public final NetBufferList next() {
        return next;
    }

    /** NET_BUFFER_LIST_NEXT_NBL as an lvalue: links (or, with null, ends) a chain. */
    public final void setNext(NetBufferList next) {
        this.next = next;
    }

    /** NET_BUFFER_LIST_FIRST_NB: the first NET_BUFFER, or null for an NBL without data. */
    public final NetBuffer firstNetBuffer() {
        return firstNetBuffer;
    }

    /**
     * SourceHandle: the handle of the driver that made the NBL, which NDIS uses to give it back. A
     * miniport sets it to its adapter handle before indicating (so the return finds its way back
     * down); a protocol sets it to its binding handle (a filter to its filter module handle) before
     * sending its own NBLs (so the completion finds its way back up). NDIS never overwrites it.
     */
    public final NdisHandle sourceHandle() {
        return sourceHandle;
    }

    /** NET_BUFFER_LIST_STATUS: the final status of a send, set by the miniport before completing. */
    public final NdisStatus status() {
        return status;
    }

    public final void setStatus(NdisStatus status) {
        this.status = status;
    }

    /** NET_BUFFER_LIST_FLAGS (NBL_FLAGS_*): generic flags, for whoever owns the NBL. */
    public final int flags() {
        return flags;
    }

    public final void setFlags(int flags) {
        this.flags = flags;
    }

    /** NdisTestNblFlag / NdisSetNblFlag (the NblFlags word, NDIS_NBL_FLAGS_*). */
    public final int nblFlags() {
        return nblFlags;
    }

    public final void setNblFlags(int nblFlags) {
        this.nblFlags = nblFlags;
    }

    /** MiniportReserved: the miniport's slot while it owns the NBL (netvmini keeps its TCB/RCB here). */
    public final Object miniportReserved() {
        return miniportReserved;
    }

    public final void setMiniportReserved(Object miniportReserved) {
        this.miniportReserved = miniportReserved;
    }

    /** ProtocolReserved: the protocol's slot while it owns the NBL. */
    public final Object protocolReserved() {
        return protocolReserved;
    }

    public final void setProtocolReserved(Object protocolReserved) {
        this.protocolReserved = protocolReserved;
    }

    /** NDIS_GET_NET_BUFFER_LIST_CANCEL_ID: 0 when the sender set none. */
    public final long cancelId() {
        return cancelId;
    }

    /**
     * NDIS_SET_NET_BUFFER_LIST_CANCEL_ID: by convention the high byte is a partial id from
     * {@code Ndis.generatePartialCancelId()} and the rest the sender's own counter.
     */
    public final void setCancelId(long cancelId) {
        this.cancelId = cancelId;
    }

    /** NdisGetPoolFromNetBufferList. */
    public abstract NetBufferListPool pool();

    /** The number of NBLs in the chain that starts here (a chain must not loop). */
    public static int count(NetBufferList chain) {
        int n = 0;
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            n++;
        }
        return n;
    }

    /** True while the NBL is allocated (not back in its pool). */
    public abstract boolean isAllocated();

    /** SourceHandle as an lvalue: a driver stamps the NBLs it indicates or sends (see {@link #sourceHandle()}). */
    public final void setSourceHandle(NdisHandle sourceHandle) {
        this.sourceHandle = sourceHandle;
    }

    /** For NDIS's engine: fresh fields for a new allocation (or a free), with {@code first} attached. */
    protected final void resetFields(NetBuffer first) {
        next = null;
        firstNetBuffer = first;
        sourceHandle = null;
        status = NdisStatus.SUCCESS;
        flags = 0;
        nblFlags = 0;
        miniportReserved = null;
        protocolReserved = null;
        cancelId = 0;
    }
}
