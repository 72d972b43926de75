package org.ndis4j.examples.ipstack;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The binding's data path (netvmini's datapath.c, from a protocol's side): NBLs for the frames
 * ipstack writes, NdisSendNetBufferLists, ProtocolSendNetBufferListsComplete, and
 * ProtocolReceiveNetBufferLists with the return of what it was given.
 *
 * <pre>
 *  send    allocate (pool, bounded) ─► the protocol writes the frame into the NET_BUFFER's memory ─►
 *          finish (pad to 60 bytes) ─► [ARP may hold it until the next hop answers] ─►
 *          send: SourceHandle = binding ─► NdisSendNetBufferLists ─► ... ─► completion: count, free
 *  receive each NET_BUFFER ─► the frame handler (ARP, IPv4), in place, no copy ─►
 *          NdisReturnNetBufferLists (unless NDIS_RECEIVE_FLAGS_RESOURCES: NDIS takes them back)
 * </pre>
 *
 * <p>No allocation per frame: the pool recycles its NBLs and their frame memory (one 1514-byte
 * buffer each), all {@link #MAX_OUTSTANDING} made at bind, at PASSIVE_LEVEL. At most {@link #MAX_OUTSTANDING} NBLs are out at once (sent or waiting for ARP);
 * beyond it a send is dropped and counted, so a fast sender cannot grow memory without bound.
 */
final class IpDataPath {

    /** 'IPsk' as it reads in a pool dump. */
    static final int POOL_TAG = 0x6B73_5049;

    static final int MAX_OUTSTANDING = 512;

    /** Called for every received frame; the frame is valid during the call only. */
    interface FrameHandler {
        void frameReceived(ByteBuf frame, int offset, int length);
    }

    private final IpCounters counters;
    private final NetBufferListPool pool;
    /** NBLs allocated from the pool and not freed: sent, or held by ARP. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Set when the binding closes and {@link #outstanding} reaches 0. */
    private final NdisEvent idle;

    private volatile boolean closing;

    private IpDataPath(IpCounters counters, NetBufferListPool pool) {
        this.counters = counters;
        this.pool = pool;
        this.idle = Ndis.initializeEvent();
    }

    /**
     * Allocates the pool (with the protocol driver's handle, before the adapter is open), each NBL a
     * frame of the adapter's MTU (NDIS_BIND_PARAMETERS.MtuSize: 9000 on a jumbo adapter). Runs at
     * PASSIVE_LEVEL. Null when NDIS has no pool to give.
     */
    static IpDataPath create(NdisHandle protocolHandle, IpCounters counters, int mtu) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                protocolHandle, NetBufferListPoolParameters.withNetBuffer(POOL_TAG, Ethernet.HEADER_LENGTH + mtu));
        if (pool == null) {
            return null;
        }
        if (!preallocate(pool, MAX_OUTSTANDING)) {
            Ndis.freeNetBufferListPool(pool);
            return null;
        }
        return new IpDataPath(counters, pool);
    }

    /**
     * Has the pool make {@code count} NBLs (and their frame memory) now, at PASSIVE_LEVEL, and frees
     * them: the pool recycles them, so the data path never waits for memory at DISPATCH_LEVEL (netvmini
     * allocates its control blocks at initialize for the same reason). False when NDIS had none to give.
     */
    static boolean preallocate(NetBufferListPool pool, int count) {
        NblQueue made = new NblQueue();
        boolean all = true;
        for (int i = 0; i < count && all; i++) {
            NetBufferList nbl = Ndis.allocateNetBufferList(pool, 0, 0);
            if (nbl == null) {
                all = false;
            } else {
                made.append(nbl);
            }
        }
        for (NetBufferList nbl = made.pop(); nbl != null; nbl = made.pop()) {
            Ndis.freeNetBufferList(nbl);
        }
        return all;
    }

    // ---- send ---------------------------------------------------------------------------------

    /**
     * An NBL to write one frame into, or null (counted) when the binding closes or too many are out.
     * Runs at IRQL &lt;= DISPATCH_LEVEL. Reserve first, then check: a close that saw no NBL out
     * cannot miss this one.
     */
    NetBufferList allocate() {
        if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
            release();
            counters.increment(IpCounter.SEND_NO_RESOURCES);
            return null;
        }
        if (closing) {
            release();
            counters.increment(IpCounter.SEND_UNBINDING);
            return null;
        }
        NetBufferList nbl = Ndis.allocateNetBufferList(pool, 0, 0);
        if (nbl == null) {
            release();
            counters.increment(IpCounter.SEND_NO_RESOURCES);
        }
        return nbl;
    }

    /** The memory a frame is written into. */
    static ByteBuf buffer(NetBufferList nbl) {
        return nbl.firstNetBuffer().data();
    }

    /** Where the frame starts in {@link #buffer}. */
    static int offset(NetBufferList nbl) {
        return nbl.firstNetBuffer().dataOffset();
    }

    /** Sets the frame's length, zero-padded to the 60-byte minimum. */
    static void finish(NetBufferList nbl, int length) {
        NetBuffer nb = nbl.firstNetBuffer();
        int padded = Math.max(length, Ethernet.MINIMUM_FRAME_LENGTH);
        nb.data().setZero(nb.dataOffset() + length, padded - length);
        nb.setDataLength(padded);
    }

    /**
     * NdisSendNetBufferLists for a chain of finished frames (one NBL each), each stamped with the
     * binding as SourceHandle. Runs at IRQL &lt;= DISPATCH_LEVEL. With the link down the frames are
     * dropped here (counted), as a stack does without carrier.
     */
    void send(IpBinding binding, NetBufferList chain) {
        if (!binding.isLinkUp()) {
            for (NetBufferList nbl = chain; nbl != null; ) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                counters.increment(IpCounter.SEND_LINK_DOWN);
                free(nbl);
                nbl = next;
            }
            return;
        }
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            nbl.setSourceHandle(binding.handle());
            counters.increment(IpCounter.FRAMES_SENT);
        }
        int flags = Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_SEND_FLAGS_DISPATCH_LEVEL : 0;
        Ndis.sendNetBufferLists(binding.handle(), chain, NDIS_DEFAULT_PORT_NUMBER, flags);
    }

    /** ProtocolSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void sendComplete(NetBufferList chain) {
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            counters.increment(
                    nbl.status() == NdisStatus.SUCCESS ? IpCounter.SENDS_COMPLETED : IpCounter.SEND_FAILURES);
            free(nbl);
            nbl = next;
        }
    }

    /** Gives an NBL of this pool back (sent and completed, or never sent). */
    void free(NetBufferList nbl) {
        Ndis.freeNetBufferList(nbl);
        release();
    }

    private void release() {
        if (outstanding.decrementAndGet() == 0 && closing) {
            Ndis.setEvent(idle);
        }
    }

    // ---- receive ------------------------------------------------------------------------------

    /**
     * ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. Hands each frame to
     * {@code handler} where it lies, then returns the chain (NDIS_RECEIVE_FLAGS_RESOURCES: NDIS keeps it).
     */
    void receive(IpBinding binding, NetBufferList chain, int receiveFlags, FrameHandler handler) {
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                counters.increment(IpCounter.FRAMES_RECEIVED);
                handler.frameReceived(nb.data(), nb.dataOffset(), nb.dataLength());
            }
        }
        if ((receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            Ndis.returnNetBufferLists(
                    binding.handle(),
                    chain,
                    Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL : 0);
        }
    }

    // ---- close --------------------------------------------------------------------------------

    /** From now on nothing is allocated (sends are refused and counted). Any IRQL. */
    void beginClose() {
        closing = true;
        if (outstanding.get() == 0) {
            Ndis.setEvent(idle);
        }
    }

    /**
     * Waits until every NBL is back (the miniport completed each send, ARP dropped what it held).
     * Runs at PASSIVE_LEVEL, after {@link #beginClose}. False when some were still out after {@code ms}.
     */
    boolean awaitIdle(int ms) {
        return Ndis.waitEvent(idle, ms);
    }

    /** NdisFreeNetBufferListPool, once idle. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void freePool() {
        Ndis.freeNetBufferListPool(pool);
    }

    int outstanding() {
        return outstanding.get();
    }
}
