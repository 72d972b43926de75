package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** NDIS's miniport driver block (NDIS_M_DRIVER_BLOCK): what NdisMRegisterMiniportDriver's handle is. */
public final class MiniportDriverBlock extends NdisMiniportDriverHandle {

    private final LoadedDriver driverObject;
    private final MiniportDriver<?> characteristics;
    private final List<MiniportAdapter> adapters = new CopyOnWriteArrayList<>();

    MiniportDriverBlock(LoadedDriver driverObject, MiniportDriver<?> characteristics) {
        super(driverObject.kernel(), driverObject.driverName());
        this.driverObject = driverObject;
        this.characteristics = characteristics;
    }

    /**
     * NdisMRegisterMiniportDriver, after the entry point checked IRQL: one miniport per driver
     * object.
     */
    public static MiniportDriverBlock register(LoadedDriver driverObject, MiniportDriver<?> characteristics) {
        if (driverObject.miniportDriver() != null) {
            throw Verifier.violation(
                    driverObject.kernel(),
                    Rule.Handle_Invalid,
                    1,
                    0,
                    driverObject.driverName() + " registered a miniport driver twice");
        }
        MiniportDriverBlock block = new MiniportDriverBlock(driverObject, characteristics);
        driverObject.setMiniport(block);
        Trace.log("NdisMRegisterMiniportDriver(%s)", driverObject.driverName());
        return block;
    }

    /** The adapters this driver runs now. */
    List<MiniportAdapter> adapters() {
        return List.copyOf(adapters);
    }

    @Override
    public String driverName() {
        return driverObject.driverName();
    }

    /** The DRIVER_OBJECT whose DriverEntry registered this miniport. */
    LoadedDriver driverObject() {
        return driverObject;
    }

    @SuppressWarnings("unchecked")
    MiniportDriver<Object> characteristics() {
        return (MiniportDriver<Object>) characteristics;
    }

    void added(MiniportAdapter adapter) {
        adapters.add(adapter);
    }

    void removed(MiniportAdapter adapter) {
        adapters.remove(adapter);
    }
}
