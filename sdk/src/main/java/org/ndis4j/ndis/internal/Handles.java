package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * How an entry point turns a handle argument into NDIS's object behind it, as ndis.sys casts an
 * NDIS_HANDLE to its own structure, except that the cast is checked: NULL, a handle NDIS did not
 * make or one of the wrong kind is rule Handle_Invalid (parameter 2: 0 for NULL, 7 for a foreign or
 * mistyped handle).
 */
public final class Handles {

    private Handles() {}

    /** The kernel a handle argument belongs to; NULL is Handle_Invalid. */
    public static Kernel kernelOf(NdisHandle handle, String function) {
        if (handle == null) {
            throw invalid(null, function + " with a NULL handle");
        }
        return handle.kernel();
    }

    /** The calling thread's kernel, for a function that takes no handle. */
    public static Kernel currentKernel(String function) {
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            throw new IllegalStateException(function + " called from a thread that never entered a kernel");
        }
        return kernel;
    }

    /** The adapter behind a miniport adapter handle (or a generic handle of that kind). */
    public static MiniportAdapter adapter(NdisHandle handle, String function) {
        return resolve(handle, MiniportAdapter.class, function, "miniport adapter handle");
    }

    public static FilterModule filterModule(NdisHandle handle, String function) {
        return resolve(handle, FilterModule.class, function, "filter module handle");
    }

    /** A miniport driver handle NdisMDeregisterMiniportDriver has not taken away. */
    public static MiniportDriverBlock miniportDriver(NdisHandle handle, String function) {
        MiniportDriverBlock block = resolve(handle, MiniportDriverBlock.class, function, "miniport driver handle");
        if (block.isDeregistered()) {
            throw Verifier.violation(
                    block.kernel(),
                    Rule.Handle_Invalid,
                    8,
                    0,
                    function + " with " + block + ", which NdisMDeregisterMiniportDriver deregistered");
        }
        return block;
    }

    /** A device NdisRegisterDeviceEx made and NdisDeregisterDeviceEx has not taken away. */
    public static NdisDevice device(NdisHandle handle, String function) {
        NdisDevice device = resolve(handle, NdisDevice.class, function, "device handle");
        if (!device.isRegistered()) {
            throw Verifier.violation(
                    device.kernel(),
                    Rule.Handle_Invalid,
                    8,
                    0,
                    function + " with " + device + ", which NdisDeregisterDeviceEx deregistered",
                    device.registrationSite());
        }
        return device;
    }

    /** A filter driver handle NdisFDeregisterFilterDriver has not taken away. */
    public static FilterDriverBlock filterDriver(NdisHandle handle, String function) {
        FilterDriverBlock block = resolve(handle, FilterDriverBlock.class, function, "filter driver handle");
        if (block.isDeregistered()) {
            throw Verifier.violation(
                    block.kernel(),
                    Rule.Handle_Invalid,
                    8,
                    0,
                    function + " with " + block + ", which NdisFDeregisterFilterDriver deregistered");
        }
        return block;
    }

    /** A protocol driver handle NdisDeregisterProtocolDriver has not taken away. */
    public static ProtocolBlock protocol(NdisHandle handle, String function) {
        ProtocolBlock block = resolve(handle, ProtocolBlock.class, function, "protocol driver handle");
        if (block.isDeregistered()) {
            throw Verifier.violation(
                    block.kernel(),
                    Rule.Handle_Invalid,
                    8,
                    0,
                    function + " with " + block + ", which NdisDeregisterProtocolDriver deregistered");
        }
        return block;
    }

    public static Binding binding(NdisHandle handle, String function) {
        return resolve(handle, Binding.class, function, "binding handle");
    }

    public static IoWorkItem workItem(NdisIoWorkItem handle, String function) {
        return resolve(handle, IoWorkItem.class, function, "work item");
    }

    public static TimerObject timer(NdisTimer handle, String function) {
        return resolve(handle, TimerObject.class, function, "timer object");
    }

    public static Interrupt interrupt(NdisInterrupt handle, String function) {
        return resolve(handle, Interrupt.class, function, "interrupt handle");
    }

    public static ConfigurationKey configuration(NdisConfigurationHandle handle, String function) {
        return resolve(handle, ConfigurationKey.class, function, "configuration handle");
    }

    public static NblPool pool(NetBufferListPool handle, String function) {
        return resolve(handle, NblPool.class, function, "NBL pool");
    }

    /** The driver object the PnP manager made and handed DriverEntry. */
    public static LoadedDriver driverObject(DriverObject driverObject, String function) {
        if (driverObject instanceof LoadedDriver loaded) {
            return loaded;
        }
        throw invalid(
                driverObject == null ? null : driverObject.kernel(),
                function + " with "
                        + (driverObject == null
                                ? "a NULL driver object"
                                : driverObject + ", which the PnP manager did not make"));
    }

    /** The bind context NDIS gave a protocol's ProtocolBindAdapterEx. */
    public static BindContext bindContext(NdisBindContext bindContext, Kernel kernel, String function) {
        if (bindContext instanceof BindContext context) {
            return context;
        }
        throw Verifier.violation(
                kernel, Rule.Handle_Invalid, 0, 0, function + " with a bind context of another protocol");
    }

    private static <T> T resolve(NdisHandle handle, Class<T> type, String function, String what) {
        Kernel kernel = kernelOf(handle, function);
        if (type.isInstance(handle)) {
            return type.cast(handle);
        }
        throw Verifier.violation(
                kernel,
                Rule.Handle_Invalid,
                7,
                handle.kind().ordinal(),
                function + " with " + handle + ", which is not a " + what + " NDIS made");
    }

    /**
     * Handle_Invalid on {@code kernel}, or on the calling thread's kernel when it is null; on a thread
     * that never entered a kernel there is no machine to stop, only the caller.
     */
    static RuntimeException invalid(Kernel kernel, String message) {
        Kernel machine = kernel != null ? kernel : CurrentThread.kernel();
        if (machine == null) {
            return new IllegalArgumentException(message);
        }
        return Verifier.violation(machine, Rule.Handle_Invalid, 0, 0, message);
    }
}
