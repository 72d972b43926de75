package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** NDIS's miniport driver block (NDIS_M_DRIVER_BLOCK): what NdisMRegisterMiniportDriver's handle is. */
public final class MiniportDriverBlock extends NdisMiniportDriverHandle {

    private final LoadedDriver driverObject;
    private final MiniportDriver<?> characteristics;
    private final List<MiniportAdapter> adapters = new CopyOnWriteArrayList<>();
    private volatile boolean deregistered;

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

    /**
     * NdisMDeregisterMiniportDriver, after the entry point checked IRQL: from MiniportDriverUnload (or a
     * DriverEntry that fails after registering). With adapters still present NDIS stops the machine:
     * 0x7C / 0x0A NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED (parameter 4 = the adapters left). The handle
     * is invalid afterwards.
     */
    public void deregister() {
        List<MiniportAdapter> left = adapters();
        if (!left.isEmpty()) {
            throw kernel().bugCheck(
                            BugCheckCode.BUGCODE_NDIS_DRIVER,
                            0x0A,
                            kernel().pointerOf(this),
                            kernel().pointerOf(driverObject),
                            left.size(),
                            null,
                            "NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED: NdisMDeregisterMiniportDriver(" + driverName()
                                    + ") while it still has " + left.size() + " adapter(s): " + left);
        }
        deregistered = true;
        Trace.log("NdisMDeregisterMiniportDriver(%s)", driverName());
    }

    /** True once NdisMDeregisterMiniportDriver took the handle away. */
    public boolean isDeregistered() {
        return deregistered;
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
