package org.ndis4j.ndis.nbl;

import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisHandle;

/**
 * NDIS_HANDLE of an NBL pool (NdisAllocateNetBufferListPool). Like netvmini's TCB/RCB lists, a pool
 * recycles its NBLs: allocation and free allocate nothing in steady state. Opaque: drivers allocate
 * and free through {@code Ndis}; the queries below are for tests and diagnostics.
 */
public abstract class NetBufferListPool extends NdisHandle {

    /** For NDIS's engine, which makes every pool. */
    protected NetBufferListPool(Kernel kernel, String name) {
        super(kernel, HandleKind.POOL, name);
    }

    /** The handle the pool was allocated with. */
    public abstract NdisHandle owner();

    public abstract NetBufferListPoolParameters parameters();

    /** NBLs allocated from the pool and not freed. */
    public abstract int allocatedCount();

    /** NBL objects the pool has created so far (allocated plus free). */
    public abstract int createdCount();

    /** True after NdisFreeNetBufferListPool. */
    public abstract boolean isFreed();
}
