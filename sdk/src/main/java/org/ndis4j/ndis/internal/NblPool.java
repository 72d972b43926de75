package org.ndis4j.ndis.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's NBL pool (NdisAllocateNetBufferListPool). Like netvmini's TCB/RCB lists, the pool recycles
 * its objects: an NBL (with its NET_BUFFER and, with a DataSize, its frame memory) is created the
 * first time the free list is empty and reused forever after, so allocation and free allocate
 * nothing in steady state. The free list is FIFO, so that a freed NBL stays free (and a stale
 * reference to it is caught as use after free) for as long as possible.
 */
public final class NblPool extends NetBufferListPool {

    /** How many still-allocated NBLs a pool's violation names where they were allocated. */
    private static final int MAX_SITES_REPORTED = 8;

    private final NdisHandle owner;
    private final NetBufferListPoolParameters parameters;
    private final ByteBufAllocator allocator;

    /** Guards every field below. */
    private final Object lock = new Object();

    private final ArrayDeque<Nbl> freeList = new ArrayDeque<>();
    /** Every NBL this pool ever created, to release their memory when the pool (or machine) goes. */
    private final List<Nbl> all = new ArrayList<>();

    private int allocated;
    private boolean freed;
    /** Where the driver allocated the pool, when the kernel records allocation stacks. */
    private final List<String> allocatedAt;
    /** The kernel records allocation stacks: each NBL allocation and free records where it was made. */
    private final boolean recordStacks;
    /** The kernel's fault injection, asked at every NBL allocation. */
    private final FaultInjection faults;

    private NblPool(NdisHandle owner, NetBufferListPoolParameters parameters, ByteBufAllocator allocator) {
        super(owner.kernel(), owner.name() + "/nblpool" + tagText(parameters.poolTag()));
        this.owner = owner;
        this.parameters = parameters;
        this.allocator = allocator;
        this.allocatedAt = AllocationSites.capture(owner.kernel());
        this.recordStacks = owner.kernel().config().allocationStacks();
        this.faults = FaultInjection.of(owner.kernel());
    }

    /** Where the driver allocated this pool, or null when no stack was recorded. */
    AllocationSite allocationSite() {
        return AllocationSites.of(this, allocatedAt);
    }

    /**
     * NdisAllocateNetBufferListPool, after the entry point checked IRQL: {@code owner} is a miniport
     * adapter, miniport driver, filter or protocol handle. Null when the parameters are unusable (as
     * NDIS does) or fault injection fails it. A pool allocated with an adapter handle must be freed by
     * the end of MiniportHaltEx.
     */
    public static NblPool allocate(NdisHandle owner, NetBufferListPoolParameters parameters) {
        Kernel kernel = owner.kernel();
        MiniportAdapter adapter = null;
        switch (owner.kind()) {
            case MINIPORT_ADAPTER -> adapter = Handles.adapter(owner, "NdisAllocateNetBufferListPool");
            case MINIPORT_DRIVER, FILTER_DRIVER, FILTER_MODULE, PROTOCOL_DRIVER, PROTOCOL_BINDING -> {}
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.Handle_Invalid,
                        owner.kind().ordinal(),
                        0,
                        "NdisAllocateNetBufferListPool with a " + owner.kind() + " handle (" + owner
                                + "); it takes a miniport, filter or protocol handle");
        }
        if (parameters == null
                || parameters.contextSize() < 0
                || parameters.dataSize() < 0
                || (parameters.dataSize() > 0 && !parameters.allocateNetBuffer())) {
            Trace.log("NdisAllocateNetBufferListPool(%s, %s) -> NULL (invalid parameters)", owner.name(), parameters);
            return null;
        }
        if (FaultInjection.of(kernel).shouldFail(FaultInjection.Allocation.NET_BUFFER_LIST_POOL)) {
            Trace.log("NdisAllocateNetBufferListPool(%s) -> NULL (fault injection)", owner.name());
            return null;
        }
        NblPool pool = new NblPool(owner, parameters, PooledByteBufAllocator.DEFAULT);
        NblRegistry.of(kernel).added(pool);
        if (adapter != null) {
            adapter.dataPath().poolAllocated(pool);
        }
        return pool;
    }

    @Override
    public NdisHandle owner() {
        return owner;
    }

    @Override
    public NetBufferListPoolParameters parameters() {
        return parameters;
    }

    @Override
    public String driverName() {
        return owner.driverName();
    }

    @Override
    public int allocatedCount() {
        synchronized (lock) {
            return allocated;
        }
    }

    @Override
    public int createdCount() {
        synchronized (lock) {
            return all.size();
        }
    }

    @Override
    public boolean isFreed() {
        synchronized (lock) {
            return freed;
        }
    }

    /**
     * NdisAllocateNetBufferList: from a pool with fAllocateNetBuffer the NBL has one NET_BUFFER
     * spanning the pool's DataSize buffer (length DataSize); otherwise none. The context sizes are
     * checked and recorded only.
     */
    public NetBufferList allocateNetBufferList(int contextSize, int contextBackFill) {
        String function = "NdisAllocateNetBufferList";
        checkContext(contextSize, contextBackFill, function);
        return allocate(false, null, 0, 0, FaultInjection.Allocation.NET_BUFFER_LIST, function);
    }

    /**
     * NdisAllocateNetBufferAndNetBufferList: the pool must have fAllocateNetBuffer; {@code mdlChain}
     * (may be null, with a zero offset and length) passes its reference to the NET_BUFFER, which
     * describes {@code dataLength} bytes at absolute index {@code dataOffset}.
     */
    public NetBufferList allocateNetBufferAndNetBufferList(
            int contextSize, int contextBackFill, ByteBuf mdlChain, int dataOffset, int dataLength) {
        String function = "NdisAllocateNetBufferAndNetBufferList";
        checkContext(contextSize, contextBackFill, function);
        if (!parameters.allocateNetBuffer()) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Nbl_InvalidParameter,
                    0,
                    0,
                    function + " on " + name() + ", which was allocated without fAllocateNetBuffer");
        }
        int capacity = mdlChain == null ? 0 : mdlChain.capacity();
        if (dataOffset < 0
                || dataLength < 0
                || (long) dataOffset + dataLength > capacity
                || (mdlChain != null && mdlChain.refCnt() == 0)) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Nbl_InvalidParameter,
                    dataOffset,
                    dataLength,
                    function
                            + ": DataOffset " + dataOffset + " and DataLength " + dataLength + " do not fit the "
                            + (mdlChain == null
                                    ? "NULL MDL chain"
                                    : mdlChain.refCnt() == 0 ? "released ByteBuf" : capacity + "-byte MDL chain"));
        }
        return allocate(
                true,
                mdlChain,
                dataOffset,
                dataLength,
                FaultInjection.Allocation.NET_BUFFER_AND_NET_BUFFER_LIST,
                function);
    }

    private void checkContext(int contextSize, int contextBackFill, String function) {
        if (contextSize < 0 || contextBackFill < 0 || contextBackFill > contextSize) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Nbl_InvalidParameter,
                    contextSize,
                    contextBackFill,
                    function
                            + ": ContextSize " + contextSize + " and ContextBackFill " + contextBackFill
                            + " must be non-negative with ContextBackFill <= ContextSize");
        }
    }

    /**
     * {@code withData} false: the NET_BUFFER, if the pool has one, spans the pool's own DataSize
     * buffer; true: caller data, whose reference the NET_BUFFER takes over, or null. Null when fault
     * injection fails {@code kind}: caller data then stays the caller's, as with NDIS's NULL.
     */
    private Nbl allocate(
            boolean withData,
            ByteBuf data,
            int dataOffset,
            int dataLength,
            FaultInjection.Allocation kind,
            String function) {
        Kernel kernel = kernel();
        if (faults.shouldFail(kind)) {
            synchronized (lock) {
                checkNotFreed(function);
            }
            Trace.log("%s(%s) -> NULL (fault injection)", function, name());
            return null;
        }
        Nbl nbl;
        synchronized (lock) {
            checkNotFreed(function);
            nbl = freeList.pollFirst();
            if (nbl == null) {
                nbl = newNetBufferList();
                all.add(nbl);
            }
            allocated++;
        }
        Nb nb = nbl.ownNetBuffer;
        nbl.reset(nb, NblOwnership.EVENT_ALLOCATED);
        if (nb != null) {
            if (withData) {
                nb.attach(data, dataOffset, dataLength);
            } else {
                nb.attach(null, 0, nb.poolData == null ? 0 : nb.poolData.capacity());
            }
        }
        if (recordStacks) {
            nbl.allocatedAt = AllocationSites.capture(kernel);
            nbl.freedAt = List.of();
        }
        NblOwnership.allocated(nbl);
        return nbl;
    }

    /** An allocation from a pool that was freed is Nbl_UseAfterFree. Holds {@link #lock}. */
    private void checkNotFreed(String function) {
        if (freed) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Nbl_UseAfterFree,
                    0,
                    0,
                    function + " on " + name() + ", which was freed with NdisFreeNetBufferListPool",
                    allocationSite());
        }
    }

    /**
     * NdisFreeNetBufferList, after the entry point checked IRQL: one NBL (not its chain), owned by the
     * caller (Nbl_NotOwned) and not freed already (Nbl_UseAfterFree). Releases caller data its
     * NET_BUFFER holds; the object goes back to the free list.
     */
    public static void free(NetBufferList netBufferList, String function) {
        kernelOf(netBufferList, function);
        Nbl nbl = (Nbl) netBufferList;
        nbl.pool.free(nbl, function);
    }

    /** NdisGeneratePartialCancelId: a UCHAR (1..255) of {@code kernel}, for the high byte of cancel ids. */
    public static int generatePartialCancelId(Kernel kernel) {
        return NblRegistry.of(kernel).generatePartialCancelId();
    }

    /** The kernel of an NBL NDIS allocated; NULL, or an NBL a driver made itself, is Nbl_InvalidParameter. */
    public static Kernel kernelOf(NetBufferList netBufferList, String function) {
        if (netBufferList instanceof Nbl nbl) {
            return nbl.pool.kernel();
        }
        String message = function
                + (netBufferList == null
                        ? " with a NULL NBL"
                        : " with " + netBufferList + ", which NdisAllocateNetBufferList* did not allocate");
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            throw new IllegalStateException(Rule.Nbl_InvalidParameter + ": " + message);
        }
        throw Verifier.violation(kernel, Rule.Nbl_InvalidParameter, 0, 0, message);
    }

    private void free(Nbl nbl, String function) {
        NblOwnership.free(kernel(), nbl, function);
        Nb nb = nbl.ownNetBuffer;
        if (nb != null) {
            nb.detach();
        }
        nbl.reset(null, NblOwnership.EVENT_FREED);
        if (recordStacks) {
            nbl.freedAt = AllocationSites.capture(kernel());
        }
        synchronized (lock) {
            allocated--;
            freeList.addLast(nbl);
        }
    }

    /**
     * NdisFreeNetBufferListPool, after the entry point checked IRQL: every NBL from the pool must be
     * freed (NblPool_FreeWithOutstanding); freeing twice is Nbl_UseAfterFree. Releases the pool's
     * frame memory.
     */
    public void freePool() {
        String function = "NdisFreeNetBufferListPool";
        Kernel kernel = kernel();
        synchronized (lock) {
            if (freed) {
                throw Verifier.violation(
                        kernel,
                        Rule.Nbl_UseAfterFree,
                        0,
                        0,
                        function + " on " + name() + ", which was already freed",
                        allocationSite());
            }
            if (allocated > 0) {
                List<AllocationSite> sites = new ArrayList<>();
                sites.add(allocationSite());
                for (Nbl nbl : all) {
                    if (nbl.isAllocated() && sites.size() <= MAX_SITES_REPORTED) {
                        sites.add(AllocationSites.of(nbl, nbl.allocatedAt));
                    }
                }
                throw Verifier.violation(
                        kernel,
                        Rule.NblPool_FreeWithOutstanding,
                        allocated,
                        0,
                        function + " on " + name() + " while " + allocated + " NBL(s) allocated from it are not freed",
                        sites);
            }
            freed = true;
            for (Nbl nbl : all) {
                if (nbl.ownNetBuffer != null) {
                    nbl.ownNetBuffer.releasePoolData();
                }
            }
            all.clear();
            freeList.clear();
        }
        NblRegistry.of(kernel).removed(this);
        if (owner instanceof MiniportAdapter adapter) {
            adapter.dataPath().poolFreed(this);
        }
    }

    /**
     * The machine went down with the pool alive: give back all frame memory (caller data of NBLs in
     * flight included), as a reboot would. Only when nothing runs driver code any more.
     */
    void reclaimAfterCrash() {
        synchronized (lock) {
            for (Nbl nbl : all) {
                Nb nb = nbl.ownNetBuffer;
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

    private Nbl newNetBufferList() {
        Nb nb = null;
        if (parameters.allocateNetBuffer()) {
            ByteBuf poolData = parameters.dataSize() > 0
                    ? allocator.directBuffer(parameters.dataSize(), parameters.dataSize())
                    : null;
            nb = new Nb(poolData);
        }
        return new Nbl(this, nb, kernel().newObjectNumber());
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
