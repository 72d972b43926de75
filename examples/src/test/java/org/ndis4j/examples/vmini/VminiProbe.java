package org.ndis4j.examples.vmini;

import org.ndis4j.host.AdapterView;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;

/** What tests of other packages may look at inside a vmini adapter. */
public final class VminiProbe {

    private VminiProbe() {}

    /** The adapter's link work item (allocated in MiniportInitializeEx). */
    public static NdisIoWorkItem linkWorkItem(NdisMiniportAdapterHandle adapter) {
        return ((VminiAdapter) AdapterView.of(adapter).adapterContext()).linkWorkItem;
    }
}
