package org.ndis4j.ndis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** NdisMiniportDriverHandle: what NdisMRegisterMiniportDriver returns. */
public final class NdisMiniportDriverHandle extends NdisHandle {

    private final DriverObject driverObject;
    private final MiniportDriver<?> characteristics;
    private final Object driverContext;
    private final List<NdisMiniportAdapterHandle> adapters = new CopyOnWriteArrayList<>();

    NdisMiniportDriverHandle(DriverObject driverObject, MiniportDriver<?> characteristics, Object driverContext) {
        super(driverObject.kernel(), HandleKind.MINIPORT_DRIVER, driverObject.driverName());
        this.driverObject = driverObject;
        this.characteristics = characteristics;
        this.driverContext = driverContext;
    }

    public DriverObject driverObject() {
        return driverObject;
    }

    /** The MiniportDriverContext passed at registration. */
    public Object driverContext() {
        return driverContext;
    }

    /** The adapters this driver runs now. */
    public List<NdisMiniportAdapterHandle> adapters() {
        return List.copyOf(adapters);
    }

    @Override
    public String driverName() {
        return driverObject.driverName();
    }

    MiniportDriver<?> characteristics() {
        return characteristics;
    }

    void added(NdisMiniportAdapterHandle adapter) {
        adapters.add(adapter);
    }

    void removed(NdisMiniportAdapterHandle adapter) {
        adapters.remove(adapter);
    }
}
