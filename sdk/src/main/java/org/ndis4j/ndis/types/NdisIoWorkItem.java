package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * NDIS_HANDLE of an I/O work item (NdisAllocateIoWorkItem). It belongs to the handle it was
 * allocated with; while it is queued or running it holds its adapter alive, so the adapter cannot
 * finish halting. Opaque; the queries below are for tests and diagnostics.
 */
public abstract class NdisIoWorkItem extends NdisHandle {

    protected NdisIoWorkItem(Kernel kernel, String name) {
        super(kernel, HandleKind.WORK_ITEM, name);
    }

    /** The handle the item was allocated with. */
    public abstract NdisHandle owner();

    /** True from NdisQueueIoWorkItem until a worker thread takes the item. */
    public abstract boolean isQueued();

    /** True after NdisFreeIoWorkItem. */
    public abstract boolean isFreed();
}
