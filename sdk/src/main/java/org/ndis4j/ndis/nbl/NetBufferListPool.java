package org.ndis4j.ndis.nbl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.HandleKind;
import org.ndis4j.ndis.NdisHandle;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS_HANDLE of an NBL pool (NdisAllocateNetBufferListPool). Like netvmini's TCB/RCB lists, the
 * pool recycles its objects: an NBL (with its NET_BUFFER and, with a DataSize, its frame memory) is
 * created the first time the free list is empty and reused forever after, so allocation and free
 * allocate nothing in steady state. The free list is FIFO, so that a freed NBL stays free (and a
 * stale reference to it is caught as use after free) for as long as possible.
 *
 * <p>Drivers allocate and free through {@code Ndis}; the methods here that are not getters are
 * NDIS-internal.
 */
public final class NetBufferListPool extends NdisHandle {

    private final NdisHandle owner;
    private final NetBufferListPoolParameters parameters;
    private final ByteBufAllocator allocator;

    /** Guards every field below. */
    private final Object lock = new Object();

    private final ArrayDeque<NetBufferList> freeList = new ArrayDeque<>();
    /** Every NBL this pool ever created, to release their memory when the pool (or machine) goes. */
    private final List<NetBufferList> all = new ArrayList<>();

    private int allocated;
    private boolean freed;

    NetBufferListPool(NdisHandle owner, NetBufferListPoolParameters parameters, ByteBufAllocator allocator) {
        super(owner.kernel(), HandleKind.POOL, owner.name() + "/nblpool" + tagText(parameters.poolTag()));
        this.owner = owner;
        this.parameters = parameters;
        this.allocator = allocator;
    }

    /** NDIS-internal: NdisAllocateNetBufferListPool, after NDIS checked IRQL and parameters. */
    public static NetBufferListPool create(NdisHandle owner, NetBufferListPoolParameters parameters) {
        NetBufferListPool pool = new NetBufferListPool(owner, parameters, PooledByteBufAllocator.DEFAULT);
        NblRegistry.of(owner.kernel()).added(pool);
        return pool;
    }

    /** The handle the pool was allocated with. */
    public NdisHandle owner() {
        return owner;
    }

    public NetBufferListPoolParameters parameters() {
        return parameters;
    }

    @Override
    public String driverName() {
        return owner.driverName();
    }

    /** NBLs allocated from the pool and not freed. */
    public int allocatedCount() {
        synchronized (lock) {
            return allocated;
        }
    }

    /** NBL objects the pool has created so far (allocated plus free). */
    public int createdCount() {
        synchronized (lock) {
            return all.size();
        }
    }

    public boolean isFreed() {
        synchronized (lock) {
            return freed;
        }
    }

    /**
     * NDIS-internal: NdisAllocateNetBufferList ({@code withData} false: the NET_BUFFER, if the pool
     * has one, spans the pool's own DataSize buffer) or NdisAllocateNetBufferAndNetBufferList
     * ({@code withData} true: caller data, whose reference the NET_BUFFER takes over, or null).
     */
    public NetBufferList allocate(boolean withData, ByteBuf data, int dataOffset, int dataLength, String function) {
        Kernel kernel = kernel();
        NetBufferList nbl;
        synchronized (lock) {
            if (freed) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_UseAfterFree,
                        0,
                        0,
                        function + " on " + name() + ", which was freed with NdisFreeNetBufferListPool");
            }
            nbl = freeList.pollFirst();
            if (nbl == null) {
                nbl = newNetBufferList();
                all.add(nbl);
            }
            allocated++;
        }
        NetBuffer nb = nbl.ownNetBuffer;
        nbl.reset(nb);
        if (nb != null) {
            if (withData) {
                nb.attach(data, dataOffset, dataLength);
            } else {
                nb.attach(null, 0, nb.poolData == null ? 0 : nb.poolData.capacity());
            }
        }
        NblOwnership.allocated(nbl);
        return nbl;
    }

    /** NDIS-internal: NdisFreeNetBufferList, after NDIS checked IRQL. */
    public void free(NetBufferList nbl, String function) {
        NblOwnership.free(kernel(), nbl, function);
        NetBuffer nb = nbl.ownNetBuffer;
        if (nb != null) {
            nb.detach();
        }
        nbl.reset(null);
        nbl.lastEvent = NblOwnership.EVENT_FREED;
        synchronized (lock) {
            allocated--;
            freeList.addLast(nbl);
        }
    }

    /** NDIS-internal: NdisFreeNetBufferListPool: every NBL must be free; releases the frame memory. */
    public void freePool(String function) {
        Kernel kernel = kernel();
        synchronized (lock) {
            if (freed) {
                throw Verifier.violation(
                        kernel, Rule.Nbl_UseAfterFree, 0, 0, function + " on " + name() + ", which was already freed");
            }
            if (allocated > 0) {
                throw Verifier.violation(
                        kernel,
                        Rule.NblPool_FreeWithOutstanding,
                        allocated,
                        0,
                        function + " on " + name() + " while " + allocated + " NBL(s) allocated from it are not freed");
            }
            freed = true;
            for (NetBufferList nbl : all) {
                if (nbl.ownNetBuffer != null) {
                    nbl.ownNetBuffer.releasePoolData();
                }
            }
            all.clear();
            freeList.clear();
        }
        NblRegistry.of(kernel).removed(this);
    }

    /**
     * The machine went down with the pool alive: give back all frame memory (caller data of NBLs in
     * flight included), as a reboot would. Only when nothing runs driver code any more.
     */
    void reclaimAfterCrash() {
        synchronized (lock) {
            for (NetBufferList nbl : all) {
                NetBuffer nb = nbl.ownNetBuffer;
                if (nb == null) {
                    continue;
                }
                ByteBuf d = nb.data();
                if (d != null && d != nb.poolData && d.refCnt() > 0) {
                    d.release(d.refCnt());
                }
                nb.releasePoolData();
            }
            freed = true;
            all.clear();
            freeList.clear();
        }
    }

    private NetBufferList newNetBufferList() {
        NetBuffer nb = null;
        if (parameters.allocateNetBuffer()) {
            ByteBuf poolData = parameters.dataSize() > 0
                    ? allocator.directBuffer(parameters.dataSize(), parameters.dataSize())
                    : null;
            nb = new NetBuffer(poolData);
        }
        return new NetBufferList(this, nb);
    }

    private static String tagText(int tag) {
        if (tag == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int shift = 0; shift < 32; shift += 8) {
            int c = (tag >>> shift) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        return sb.append(']').toString();
    }
}
